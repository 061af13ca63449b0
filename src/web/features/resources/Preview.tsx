import { Alert, Button, Empty, Segmented, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { fmtSize } from '../../app/format';
import { useVocab } from '../../app/vocab';
import type { ResourceFile } from './api';
import { FILE_ROLES, MIME_FAMILY } from './vocab';

/** How a file is shown inline: by the (converted) mime the preview URL serves. */
export function previewKind(f: ResourceFile): 'pdf' | 'image' | 'video' | 'audio' | 'text' | null {
  if (!f.previewable) return null;
  const fam = MIME_FAMILY[f.mime];
  if (fam === 'image' || fam === 'video' || fam === 'audio' || fam === 'text') return fam;
  // PDF, or an office document the server converts to PDF for the preview
  return 'pdf';
}

export function FilePicker({ files, value, onChange }: { files: ResourceFile[]; value?: string; onChange: (id: string) => void }) {
  const { label } = useVocab();
  if (files.length < 2) return null;
  return (
    <Segmented
      block
      size="small"
      style={{ marginBottom: 8, maxWidth: '100%', overflowX: 'auto' }}
      value={value}
      onChange={(v) => onChange(String(v))}
      options={files.map((f) => ({
        value: f.id,
        label: (
          <span title={f.name} data-testid={`file-tab-${f.id}`}>
            {f.role !== 'main' ? `${label(FILE_ROLES, f.role)}：` : ''}
            {f.name}
          </span>
        ),
      }))}
      data-testid="resource-file-picker"
    />
  );
}

/** Inline preview of one file: PDF in an iframe, images, video/audio with seeking (HTTP Range). */
export function Preview({ file, canDownload }: { file: ResourceFile; canDownload: boolean }) {
  const { t } = useTranslation();
  const kind = previewKind(file);
  const src = file.previewUrl;
  let body: React.ReactNode;
  switch (kind) {
    case 'pdf':
      body = <iframe src={`${src}#view=FitH`} title={file.name} data-testid="preview-pdf" />;
      break;
    case 'text':
      body = <iframe src={src} title={file.name} data-testid="preview-text" />;
      break;
    case 'image':
      body = <img src={src} alt={file.name} data-testid="preview-image" />;
      break;
    case 'video':
      body = (
        // biome-ignore lint/a11y/useMediaCaption: uploaded teaching videos come without caption files
        <video key={file.id} controls preload="metadata" src={src} data-testid="preview-video">
          {t('resource.noVideo')}
        </video>
      );
      break;
    case 'audio':
      // biome-ignore lint/a11y/useMediaCaption: uploaded recordings come without caption files
      body = <audio key={file.id} controls preload="metadata" src={src} style={{ width: '100%', margin: 16 }} data-testid="preview-audio" />;
      break;
    default:
      body = (
        <Empty
          style={{ padding: 32 }}
          description={
            <>
              <div>{t('resource.noPreview')}</div>
              {canDownload && (
                <Button icon={<DownloadOutlined />} href={file.downloadUrl} style={{ marginTop: 12 }}>
                  {t('resource.download')} ({fmtSize(file.size)})
                </Button>
              )}
            </>
          }
        />
      );
  }
  return (
    <>
      <div className="xl-res-preview" data-testid="resource-preview">
        {body}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {file.name} · {fmtSize(file.size)}
      </Typography.Text>
    </>
  );
}

export function NoFiles() {
  const { t } = useTranslation();
  return <Alert type="info" showIcon message={t('resource.noFiles')} />;
}
