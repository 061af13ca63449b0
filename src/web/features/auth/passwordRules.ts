import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';

/** Client-side hint of the server's policy: ≥ 10 characters and 3 of lower / upper / digit / symbol. */
export function passwordRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('password.newRequired') },
    { min: 10, message: t('password.tooShort') },
    {
      validator: (_, v: string) => {
        if (!v) return Promise.resolve();
        const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
        return classes >= 3 ? Promise.resolve() : Promise.reject(new Error(t('password.classes')));
      },
    },
  ];
}
