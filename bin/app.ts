#!/usr/bin/env node
// The example app: `npx cdk synth` synthesizes it with the policy checks.
import { App } from 'aws-cdk-lib';
import { PaymentsStack } from './payments-stack';

const app = new App();
new PaymentsStack(app, 'Payments');
app.synth();
