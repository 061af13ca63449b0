import type { ButtonProps } from 'antd';

/**
 * `data-testid` for button props objects that antd types without data attributes (e.g. a Modal's
 * `okButtonProps`): `okButtonProps={withTestId('save', { danger: true })}`.
 */
export function withTestId(id: string, props: ButtonProps = {}): ButtonProps {
  return { ...props, 'data-testid': id } as ButtonProps;
}
