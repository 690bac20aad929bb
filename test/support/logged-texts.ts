// Every fixed text the Lambda functions log, read from their source with the TypeScript compiler:
// each `fix:` and `msg:` of a log entry, and every constant named …_FIX or …_FIXES (their strings),
// evaluated where they are string literals, templates and concatenations of such constants. A `fix`
// that cannot be evaluated is reported, so a new one cannot slip past the tests that read them.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..', 'lib', 'functions');

/** A text, where it is written (`file:line`), and the key it is logged under (or the constant's name). */
export interface LoggedText {
  readonly where: string;
  readonly key: string;
  readonly text: string;
}

/** `fix` values that are not literals: what they evaluate to is collected elsewhere (SLACK_ERROR_FIXES). */
const DYNAMIC_FIXES = new Set(['api.fix ?? slackErrorFix(err.slackError)']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every text the source of lib/functions logs as a fix or a message, or names a fix. */
export function loggedTexts(): LoggedText[] {
  const files = sourceFiles(ROOT).map((f) => ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true));
  // Constants with an initializer, by name (each file's own first, then any file's).
  const constants = new Map<string, Array<{ file: ts.SourceFile; init: ts.Expression }>>();
  for (const file of files) {
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const)) {
        constants.set(n.name.text, [...(constants.get(n.name.text) ?? []), { file, init: n.initializer }]);
      }
      ts.forEachChild(n, visit);
    };
    visit(file);
  }
  /** The strings an expression can be, or undefined when it is not made of literals and constants. */
  const evaluate = (e: ts.Expression, file: ts.SourceFile, depth = 0): string[] | undefined => {
    if (depth > 20) return undefined;
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
    if (ts.isParenthesizedExpression(e)) return evaluate(e.expression, file, depth + 1);
    if (ts.isConditionalExpression(e)) {
      const [a, b] = [evaluate(e.whenTrue, file, depth + 1), evaluate(e.whenFalse, file, depth + 1)];
      return a && b ? [...a, ...b] : undefined;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const [a, b] = [evaluate(e.left, file, depth + 1), evaluate(e.right, file, depth + 1)];
      return a && b ? a.flatMap((x) => b.map((y) => x + y)) : undefined;
    }
    if (ts.isTemplateExpression(e)) {
      let out = [e.head.text];
      for (const span of e.templateSpans) {
        const v = evaluate(span.expression, file, depth + 1);
        if (!v) return undefined;
        out = out.flatMap((x) => v.map((y) => x + y + span.literal.text));
      }
      return out;
    }
    if (ts.isIdentifier(e)) {
      const found = constants.get(e.text) ?? [];
      const own = found.find((c) => c.file === file) ?? (found.length === 1 ? found[0] : undefined);
      return own ? evaluate(own.init, own.file, depth + 1) : undefined;
    }
    return undefined;
  };
  const out: LoggedText[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    const where = (n: ts.Node) => `${path.relative(path.join(ROOT, '..', '..'), file.fileName)}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const add = (n: ts.Node, key: string, texts: string[]) => out.push(...texts.map((text) => ({ where: where(n), key, text })));
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && (n.name.text === 'fix' || n.name.text === 'msg')) {
        const texts = evaluate(n.initializer, file);
        if (texts) add(n, n.name.text, texts);
        else if (n.name.text === 'fix' && !DYNAMIC_FIXES.has(n.initializer.getText(file))) unreadable.push(`${where(n)}: fix: ${n.initializer.getText(file)}`);
      }
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && /_FIX(ES)?$/.test(n.name.text) && n.initializer) {
        const init = n.initializer;
        const values = ts.isObjectLiteralExpression(init)
          ? init.properties.filter(ts.isPropertyAssignment).map((p) => evaluate(p.initializer, file))
          : [evaluate(init, file)];
        for (const v of values) {
          if (v) add(n, n.name.text, v);
          else unreadable.push(`${where(n)}: ${n.name.text}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(file);
  }
  if (unreadable.length > 0) throw new Error(`fix texts the tests cannot read (make them literals or constants, or list them in DYNAMIC_FIXES):\n${unreadable.join('\n')}`);
  return out;
}
