import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { type K8sObject, objectName, repoRoot } from './kustomize';

export interface FieldError {
  readonly object: string;
  readonly message: string;
}

/**
 * kubernetes-models' `validate()` accepts fields the API does not know (a typo such as
 * `readinesProbe` would pass and the API server would drop it). Its TypeScript interfaces do know
 * them: each object is written as a typed object literal and type-checked, so TypeScript's
 * excess-property check names an unknown field at any depth (the first of each object). Only
 * built-in kinds (custom resources have no interfaces here). One program for all objects: seconds.
 */
export function checkUnknownFields(objects: readonly K8sObject[]): FieldError[] {
  const builtIn = objects
    .map((o, index) => ({ o, index }))
    .filter(({ o }) => {
      try {
        require.resolve(`kubernetes-models/${o.apiVersion}/${o.kind}`);
        return true;
      } catch {
        return false;
      }
    });
  if (builtIn.length === 0) return [];
  const lines: string[] = [];
  const owner: string[] = []; // line number -> object name
  const push = (line: string, name: string) => {
    lines.push(line);
    owner.push(name);
  };
  for (const { o, index } of builtIn) {
    const name = objectName(o);
    push(`import type { I${o.kind} as T${index} } from 'kubernetes-models/${o.apiVersion}/${o.kind}';`, name);
  }
  for (const { o, index } of builtIn) {
    const name = objectName(o);
    const json = JSON.stringify(o, null, 1).split('\n');
    push(`export const o${index}: T${index} = ${json[0]}`, name);
    for (const line of json.slice(1)) push(line, name);
    lines[lines.length - 1] += ';';
  }
  const tmpRoot = path.join(repoRoot, 'tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const dir = mkdtempSync(path.join(tmpRoot, 'k8s-fields-'));
  const file = path.join(dir, 'objects.ts');
  try {
    writeFileSync(file, lines.join('\n'));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
    });
    const source = program.getSourceFile(file)!;
    return ts.getPreEmitDiagnostics(program, source).map((d) => {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return { object: owner[line] ?? '(unknown)', message: text.split('\n')[0]! };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
