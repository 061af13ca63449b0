import ExcelJS from 'exceljs';
import { COLUMNS, KIND_NAMES, type ImportKind } from './schema.js';

const TEMPLATE_ROWS = 1000;

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * The import template: sheet 1 holds only the Chinese header row (text columns formatted as text,
 * drop-down lists for single-choice vocabularies); sheet “说明” explains each column with an example row.
 */
export async function templateXlsx(kind: ImportKind): Promise<{ buf: Buffer; fileName: string }> {
  const defs = COLUMNS[kind];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'xiaolian';
  wb.created = new Date();
  const ws = wb.addWorksheet(`${KIND_NAMES[kind]}导入`, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = defs.map((d) => ({ header: d.label, key: d.key, width: Math.max(12, d.label.length * 2 + 4) }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  defs.forEach((d, i) => {
    const cell = head.getCell(i + 1);
    if (d.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.note = `${d.required ? '必填。' : '选填。'}${d.hint}`;
    const col = ws.getColumn(i + 1);
    if (d.text) col.numFmt = '@';
    if (d.vocab && !d.multi) {
      const list = d.vocab.terms.map((t) => t.zh).join(',');
      const letter = colLetter(i + 1);
      (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
        `${letter}2:${letter}${TEMPLATE_ROWS + 1}`,
        {
          type: 'list',
          allowBlank: !d.required,
          formulae: [`"${list}"`],
          showErrorMessage: true,
          errorTitle: d.label,
          error: d.hint,
        },
      );
    }
  });

  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列名', key: 'label', width: 18 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写说明 / 可选值', key: 'hint', width: 70 },
    { header: '示例', key: 'example', width: 30 },
  ];
  help.getRow(1).font = { bold: true };
  for (const d of defs) help.addRow({ label: d.label, required: d.required ? '必填' : '选填', hint: d.hint, example: d.example });
  help.addRow({});
  help.addRow({ label: '注意', hint: '第 1 行为表头，请勿修改；数据从第 2 行开始。也可另存为 CSV（UTF-8 或 GBK 编码）上传。单个文件不超过 5 MB、5000 行。' });
  help.addRow({ label: '', hint: '上传后先预览，有错误的行会标出行号、列和原因；全部正确才会导入，或明确选择“仅导入有效行”。' });
  if (kind === 'users') help.addRow({ label: '', hint: '导入的账号会生成一次性初始密码（仅在确认导入后显示一次），首次登录须修改密码。' });

  // the example row, laid out like sheet 1
  help.addRow({});
  const exStart = help.rowCount + 1;
  help.getCell(`A${exStart}`).value = '示例行（请勿把本行复制到第 1 个工作表以外的位置）';
  help.getCell(`A${exStart}`).font = { bold: true };
  const exHead = help.getRow(exStart + 1);
  const exRow = help.getRow(exStart + 2);
  defs.forEach((d, i) => {
    exHead.getCell(i + 1).value = d.label;
    exRow.getCell(i + 1).value = d.example === '' ? null : d.example;
  });
  exHead.font = { bold: true };

  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { buf, fileName: `${KIND_NAMES[kind]}导入模板.xlsx` };
}
