#!/usr/bin/env node
// The example app: `npx cdk synth` synthesizes it with the policy checks.
import { App, Validations } from 'aws-cdk-lib';
import { IncidentReadinessChecks, RunbookPolicy } from '../lib';
import { PaymentsStack } from './payments-stack';

const app = new App();
// The synth gate: the Aspect fails `cdk synth` for any page without a runbook, wherever the
// alarm comes from; the cdk-nag pack puts the same rules into the validation report.
RunbookPolicy.applyTo(app);
Validations.of(app).addPlugins(new IncidentReadinessChecks(app));
new PaymentsStack(app, 'Payments');
app.synth();
