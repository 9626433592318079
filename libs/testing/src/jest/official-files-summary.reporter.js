// One line at the end of a jest run naming the suites skipped for want of DGII's official files
// (see describeWithOfficialFiles in ../official-files). Plain CommonJS: jest loads reporters untransformed.
const { relative } = require('node:path');

const MARKER = '[needs DGII official files]';
const HINT =
  'set FISCALIACORE_SHARED_DIR (the folder holding dgii/xsd, dgii/samples) or DGII_XSD_DIR (the XSDs alone)';

class OfficialFilesSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const files = [];
    let tests = 0;
    for (const file of results.testResults) {
      const skipped = file.testResults.filter(
        (t) =>
          t.status === 'pending' &&
          (t.title.includes(MARKER) || t.ancestorTitles.some((a) => a.includes(MARKER))),
      );
      if (skipped.length === 0) continue;
      tests += skipped.length;
      files.push(relative(this.rootDir, file.testFilePath));
    }
    if (files.length === 0) return;
    const where = process.env.FISCALIACORE_OFFICIAL_FILES_MISSING || 'folder not found';
    process.stderr.write(
      `\nskipped ${tests} test${tests === 1 ? '' : 's'} in ${files.length} suite${files.length === 1 ? '' : 's'} that need DGII's official files (${where}): ` +
        `${files.join(', ')} — ${HINT}\n`,
    );
  }
}

module.exports = OfficialFilesSummaryReporter;
