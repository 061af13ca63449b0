import { Tag } from 'antd';
import { useVocab, type Vocab } from '../app/vocab';

const COLORS: Record<string, string> = {
  // school tags
  quality: 'green',
  weak: 'volcano',
  new: 'blue',
  suburban: 'cyan',
  rural: 'gold',
  small: 'purple',
  // alliance kinds
  fusion: 'magenta',
  aggregation: 'geekblue',
  union: 'cyan',
  // application status
  submitted: 'processing',
  evaluated: 'processing',
  recommended: 'processing',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
  // assessment
  excellent: 'green',
  good: 'blue',
  pass: 'cyan',
  // phases
  preparation: 'gold',
  implementation: 'blue',
  deepening: 'green',
};

export function VocabTag({ vocab, code, color }: { vocab: Vocab; code: string | null | undefined; color?: string }) {
  const { label } = useVocab();
  if (!code) return <>—</>;
  return <Tag color={color ?? COLORS[code]}>{label(vocab, code)}</Tag>;
}

export function VocabTags({ vocab, codes }: { vocab: Vocab; codes: string[] | null | undefined }) {
  if (!codes || codes.length === 0) return <>—</>;
  return (
    <>
      {codes.map((c) => (
        <VocabTag key={c} vocab={vocab} code={c} />
      ))}
    </>
  );
}
