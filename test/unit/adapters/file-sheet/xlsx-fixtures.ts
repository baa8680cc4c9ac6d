// Builds small .xlsx files for the tests with exceljs's in-memory workbook, the way a user's Excel file would look.
import ExcelJS from 'exceljs';

export async function writeBrandsWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const brands = workbook.addWorksheet('Brands');
  brands.addRow(['Brand', 'Website', 'Founded', 'Revenue', 'Public', 'Label', 'Double']);
  brands.addRow([
    { richText: [{ text: 'Le' }, { font: { bold: true }, text: 'go' }] },
    { text: 'lego.com', hyperlink: 'https://www.lego.com' },
    new Date(Date.UTC(1932, 7, 10)),
    0.1 + 0.2,
    false,
    { formula: 'A2&"!"', result: 'Lego!' },
    { formula: 'D2*2', result: 0.6 },
  ]);
  brands.addRow(['Nike', '=not a formula', new Date(Date.UTC(1964, 0, 25, 14, 30)), 51_200_000_000, true, { error: '#N/A' }, null]);
  brands.getCell('C2').numFmt = 'yyyy-mm-dd';
  brands.getCell('C3').numFmt = 'yyyy-mm-dd hh:mm';
  const notes = workbook.addWorksheet('Notes');
  notes.addRow(['Topic', 'Text']);
  notes.addRow(['why', 'second sheet']);
  await workbook.xlsx.writeFile(path);
}

/** Rows as given, starting at sheet row `firstRow`; useful for headers below blank rows and gaps. */
export async function writeRowsWorkbook(path: string, rows: readonly (readonly ExcelJS.CellValue[] | null)[], firstRow = 1): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Data');
  rows.forEach((values, index) => {
    if (values !== null) sheet.getRow(firstRow + index).values = [...values];
  });
  await workbook.xlsx.writeFile(path);
}

export async function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}
