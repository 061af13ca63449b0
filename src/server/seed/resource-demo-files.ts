/**
 * The files of a demo resource by kind (PDF with its text, DOCX, PNG cover, short MP4), made with
 * seed/resource-files.ts; names as a user would give them.
 */
import type { FileRole, ResourceKind } from '../../common/resources.js';
import { DOCX_MIME, tidyText } from '../platform/extract.js';
import { makeCoverPng, makeDocx, makePdf, sampleVideo } from './resource-files.js';
import type { GeneratedResource } from './resource-vocab.js';

export interface FileSpec {
  role: FileRole;
  name: string;
  mime: string;
  body: Buffer;
  text: string | null;
}

export function filesFor(kind: ResourceKind, g: GeneratedResource, n: number, pdfOnly = false): FileSpec[] {
  const pdf = (title: string, paras: string[], role: FileRole = 'main', name = `${title}.pdf`): FileSpec => ({
    role,
    name: safeName(name),
    mime: 'application/pdf',
    body: makePdf({ title, paragraphs: paras }),
    text: tidyText([title, ...paras].join('\n\n')),
  });
  if (pdfOnly && kind !== 'lesson_video' && kind !== 'micro_lesson') return [pdf(g.title, g.paragraphs)];
  switch (kind) {
    case 'lesson_video':
    case 'micro_lesson': {
      const video = sampleVideo(n);
      if (video) return [{ role: 'main', name: safeName(`${g.title}.mp4`), mime: 'video/mp4', body: video, text: null }];
      return [pdf(g.title, g.paragraphs)];
    }
    case 'courseware':
      return n % 4 === 0 ? [{ role: 'main', name: safeName(`${g.title}.png`), mime: 'image/png', body: cover(n), text: null }] : [pdf(g.title, g.paragraphs)];
    case 'lesson_plan':
    case 'case_collection':
      if (n % 3 === 0) {
        return [
          {
            role: 'main',
            name: safeName(`${g.title}.docx`),
            mime: DOCX_MIME,
            body: makeDocx({ title: g.title, paragraphs: g.paragraphs }),
            text: tidyText([g.title, ...g.paragraphs].join('\n\n')),
          },
        ];
      }
      return [pdf(g.title, g.paragraphs)];
    case 'school_course':
      return [
        pdf(`${g.title} 课程纲要`, [`课程目标：${g.description}`, ...g.paragraphs.slice(0, 2)], 'outline', '课程纲要.pdf'),
        pdf(`第1课时 ${g.topic.name}`, g.paragraphs.slice(1), 'lesson', '第1课时.pdf'),
        { role: 'material', name: '活动材料封面.png', mime: 'image/png', body: cover(n + 3), text: null },
      ];
    default:
      return [pdf(g.title, g.paragraphs)];
  }
}

const covers = new Map<number, Buffer>();
/** A cover image; 24 variants (colour × chart), made once. */
function cover(n: number): Buffer {
  const k = n % 24;
  let png = covers.get(k);
  if (!png) {
    const bars = [0, 1, 2, 3, 4, 5].map((i) => (((k + 2) * (i + 3) * 37) % 85) / 100 + 0.15);
    png = makeCoverPng({ colour: k, bars });
    covers.set(k, png);
  }
  return png;
}

/** File names as a user would give them, without characters that are awkward in downloads. */
const safeName = (s: string) =>
  s
    .replace(/[\\/:*?"<>|《》“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
