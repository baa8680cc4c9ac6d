// The add-on compiles against Apps Script's own types (addon/tsconfig.json) and the sidebar against the DOM (addon/sidebar/tsconfig.json).
import { describe, expect, it } from 'vitest';
import ts from 'typescript';

function diagnostics(configPath: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('add-on types', () => {
  it('addon/src type-checks with @types/google-apps-script and no Node types', () => {
    expect(diagnostics('addon/tsconfig.json')).toEqual([]);
  });

  it('addon/sidebar type-checks with the DOM and no Node types', () => {
    expect(diagnostics('addon/sidebar/tsconfig.json')).toEqual([]);
  });
});
