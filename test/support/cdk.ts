// Small helpers for construct tests: a stack with the runbook base URL set, and template lookups.
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export const BASE_URL = 'https://github.com/acme/ops/blob/main';
export const FOUNDATION_FIXTURES = path.join(__dirname, '..', 'fixtures', 'foundation');

export function newStack(context: Record<string, unknown> = {}): Stack {
  const app = new App({ context: { 'cdk-runbook-alarms:runbookBaseUrl': BASE_URL, ...context } });
  return new Stack(app, 'TestStack');
}

/** The one resource of `type` whose properties match `match` (by logical id order otherwise). */
export function resourcesOf(template: Template, type: string): Array<{ id: string; props: Record<string, any> }> {
  return Object.entries(template.findResources(type)).map(([id, r]) => ({ id, props: (r as { Properties: Record<string, any> }).Properties }));
}

export function tagsOf(props: Record<string, any>): Record<string, string> {
  return Object.fromEntries(((props.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
}

/** Synthesizes an app with its validation plugins, capturing what they print: the cloud assembly and that output. */
export function synthCapturing(app: import('aws-cdk-lib').App): { assembly: import('aws-cdk-lib/cx-api').CloudAssembly; output: string } {
  const out: string[] = [];
  const spies = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log')].map((s) => s.mockImplementation((...a: unknown[]) => void out.push(a.join(' '))));
  try {
    return { assembly: app.synth(), output: out.join('\n') };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}
