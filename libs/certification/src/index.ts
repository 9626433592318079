export * from './workbook/column-paths';
export * from './workbook/xlsx-bounds';
export * from './workbook/read-workbook';
export * from './workbook/workbook-cases';
