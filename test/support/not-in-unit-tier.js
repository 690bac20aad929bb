// What `aws-cdk-lib`, `constructs`, `cdk-nag`, `dynalite` and `child_process` resolve to in the unit
// tier (jest.config.js): a unit test stays in process and pure, so loading one of them is a mistake
// that fails at once. Move the test to an integration folder, or list the file in jest.config.js.
throw new Error('the unit tier loads no CDK, no dynalite and no subprocess: this test belongs to the integration tier (jest.config.js lists where that is)');
