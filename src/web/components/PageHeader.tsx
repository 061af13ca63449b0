import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import { Link } from 'react-router-dom';

export interface Crumb {
  title: ReactNode;
  to?: string;
}

export function PageHeader({ title, extra, crumbs, sub }: { title: ReactNode; extra?: ReactNode; crumbs?: Crumb[]; sub?: ReactNode }) {
  return (
    <div className="xl-page-header">
      {crumbs && crumbs.length > 0 && (
        <Breadcrumb style={{ marginBottom: 8 }} items={crumbs.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title }))} />
      )}
      <Flex justify="space-between" align="center" wrap gap={12}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
        </div>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
    </div>
  );
}
