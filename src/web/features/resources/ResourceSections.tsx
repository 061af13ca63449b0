import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, List, Popconfirm, Rate, Space, Tag, Timeline, Typography } from 'antd';
import { CheckOutlined, DeleteOutlined, RollbackOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { fmtDateTime } from '../../app/format';
import { may } from '../../app/permissions';
import { useVocab } from '../../app/vocab';
import { QueryError, useApiErrorHandler } from '../../components/errors';
import { withTestId } from '../../components/testid';
import { useAddComment, useComments, useDeleteComment, useReview, type ResourceDetail } from './api';
import { StatusTag } from './components';
import { WORKFLOW_STEPS, rubricOf } from './vocab';

export function ReviewForm({ r }: { r: ResourceDetail }) {
  const { t } = useTranslation();
  const { lang } = useVocab();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const review = useReview(r.id);
  const items = r.rubric.length ? r.rubric : rubricOf(r.kind);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const avg = items.length ? items.reduce((a, i) => a + (scores[i.code] ?? 0), 0) / items.length : 0;
  const decide = (decision: 'publish' | 'return') => {
    const unscored = items.some((i) => !scores[i.code]);
    if (unscored) return setMissing(true);
    if (decision === 'return' && !comment.trim()) return message.error(t('resource.review.commentRequired'));
    review.mutate(
      { decision, scores, comment: comment.trim() || undefined },
      {
        onSuccess: () => message.success(decision === 'publish' ? t('resource.review.published') : t('resource.review.returned')),
        onError: (e) => onError(e),
      },
    );
  };
  return (
    <Card title={t('resource.review.title')} size="small" style={{ marginBottom: 16, borderColor: '#91caff' }} data-testid="review-form">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('resource.review.help')}
      </Typography.Paragraph>
      <div className="xl-res-rubric">
        {items.map((i) => (
          <div key={i.code} style={{ display: 'contents' }}>
            <span style={{ color: missing && !scores[i.code] ? '#cf1322' : undefined }}>{i[lang]}</span>
            <Rate value={scores[i.code]} onChange={(v) => setScores({ ...scores, [i.code]: v })} data-testid={`review-score-${i.code}`} />
          </div>
        ))}
      </div>
      {missing && items.some((i) => !scores[i.code]) && (
        <Typography.Text type="danger" style={{ display: 'block', marginTop: 4 }}>
          {t('resource.review.scoreAll')}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ display: 'block', margin: '8px 0' }}>
        {t('resource.review.average')}
        {t('common.colon')}
        {avg ? avg.toFixed(1) : '—'}
      </Typography.Text>
      <Input.TextArea
        rows={3}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder={t('resource.review.commentPlaceholder')}
        maxLength={2000}
        data-testid="review-comment"
      />
      <Flex gap={8} style={{ marginTop: 12 }} wrap>
        <Button type="primary" icon={<CheckOutlined />} loading={review.isPending} onClick={() => decide('publish')} data-testid="review-publish">
          {t('resource.review.publish')}
        </Button>
        <Button danger icon={<RollbackOutlined />} loading={review.isPending} onClick={() => decide('return')} data-testid="review-return">
          {t('resource.review.return')}
        </Button>
      </Flex>
    </Card>
  );
}

export function Comments({ r }: { r: ResourceDetail }) {
  const { t } = useTranslation();
  const onError = useApiErrorHandler();
  const add = useAddComment(r.id);
  const del = useDeleteComment(r.id);
  const [body, setBody] = useState('');
  const list = useComments(r.id);
  const comments = list.data ?? [];
  // rating and commenting are for the teaching roles (the server's resource.feedback permission)
  const mayComment = may(useMe(), 'resource.feedback');
  return (
    <div data-testid="resource-comments">
      {r.status === 'published' && mayComment && (
        <Flex vertical gap={8} style={{ marginBottom: 16 }}>
          <Input.TextArea
            rows={2}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            maxLength={1000}
            placeholder={t('resource.commentPlaceholder')}
            data-testid="comment-input"
          />
          <Button
            type="primary"
            style={{ alignSelf: 'flex-end' }}
            disabled={!body.trim()}
            loading={add.isPending}
            onClick={() => add.mutate(body.trim(), { onSuccess: () => setBody(''), onError: (e) => onError(e) })}
            data-testid="comment-submit"
          >
            {t('resource.commentSubmit')}
          </Button>
        </Flex>
      )}
      <QueryError error={list.error} />
      <List
        loading={list.isLoading}
        locale={{ emptyText: t('resource.noComments') }}
        dataSource={comments}
        renderItem={(c) => (
          <List.Item
            data-testid={`comment-${c.id}`}
            actions={
              c.canDelete
                ? [
                    <Popconfirm
                      key="d"
                      title={t('resource.deleteComment')}
                      onConfirm={() => del.mutate(c.id, { onError: (e) => onError(e) })}
                      okButtonProps={withTestId('comment-delete-ok')}
                    >
                      <Button
                        type="text"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        data-testid={`comment-delete-${c.id}`}
                      />
                    </Popconfirm>,
                  ]
                : undefined
            }
          >
            <List.Item.Meta
              title={
                <Space size={8} wrap>
                  <span>{c.userName ?? '—'}</span>
                  {c.schoolName && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.schoolName}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtDateTime(c.createdAt)}
                  </Typography.Text>
                </Space>
              }
              description={<span style={{ whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,.8)' }}>{c.body}</span>}
            />
          </List.Item>
        )}
      />
    </div>
  );
}

export function Versions({ r }: { r: ResourceDetail }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="resource-versions"
      items={r.versions.map((v) => ({
        color: v.current ? 'green' : v.draft ? 'blue' : 'gray',
        children: (
          <div data-testid={`version-${v.number}`}>
            <Space wrap>
              <strong>{t('resource.versionN', { n: v.number })}</strong>
              {v.current && <Tag color="green">{t('resource.currentVersion')}</Tag>}
              {v.draft && <Tag color="blue">{t('resource.draftVersion')}</Tag>}
              <Typography.Text type="secondary">{fmtDateTime(v.createdAt)}</Typography.Text>
              {v.createdBy && <Typography.Text type="secondary">{v.createdBy}</Typography.Text>}
              {v.publishedAt && <Typography.Text type="secondary">{t('resource.publishedOn', { at: fmtDateTime(v.publishedAt) })}</Typography.Text>}
            </Space>
            {v.note && <div style={{ marginTop: 4 }}>{v.note}</div>}
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,.55)' }}>{v.files.map((f) => f.name).join('、') || t('resource.noFiles')}</div>
          </div>
        ),
      }))}
    />
  );
}

export function Reviews({ r }: { r: ResourceDetail }) {
  const { t } = useTranslation();
  const { lang } = useVocab();
  const items = r.rubric.length ? r.rubric : rubricOf(r.kind);
  const reviews = r.reviews;
  const { label } = useVocab();
  return (
    <>
      {reviews.length === 0 && <Empty description={t('resource.noReviews')} />}
      {reviews.length > 0 && (
        <List
          dataSource={reviews}
          data-testid="resource-reviews"
          renderItem={(rv) => (
            <List.Item>
              <div style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color={rv.decision === 'publish' ? 'success' : 'warning'}>
                    {t(`resource.review.decision.${rv.decision}`, { defaultValue: rv.decision })}
                  </Tag>
                  <span>{rv.reviewer}</span>
                  {rv.versionNumber && <Typography.Text type="secondary">{t('resource.versionN', { n: rv.versionNumber })}</Typography.Text>}
                  <Typography.Text type="secondary">{fmtDateTime(rv.createdAt)}</Typography.Text>
                  <Typography.Text type="secondary">
                    {t('resource.review.average')}
                    {t('common.colon')}
                    {rv.average.toFixed(1)}
                  </Typography.Text>
                </Space>
                {rv.comment && <div style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>{rv.comment}</div>}
                <Flex wrap gap={8} style={{ fontSize: 12, color: 'rgba(0,0,0,.6)' }}>
                  {Object.entries(rv.scores ?? {}).map(([k, v]) => (
                    <span key={k}>
                      {items.find((i) => i.code === k)?.[lang] ?? k}：{v}
                    </span>
                  ))}
                </Flex>
              </div>
            </List.Item>
          )}
        />
      )}
      {r.history.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('resource.history')}
          </Typography.Title>
          <Timeline
            data-testid="resource-history"
            items={r.history.map((h, i) => ({
              key: i,
              children: (
                <div>
                  <Space wrap size={6}>
                    <strong>{label(WORKFLOW_STEPS, h.step)}</strong>
                    <StatusTag status={h.toStatus} />
                    {h.actor && <span>{h.actor}</span>}
                    <Typography.Text type="secondary">{fmtDateTime(h.at)}</Typography.Text>
                  </Space>
                  {h.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{h.comment}</div>}
                </div>
              ),
            }))}
          />
        </>
      )}
    </>
  );
}
