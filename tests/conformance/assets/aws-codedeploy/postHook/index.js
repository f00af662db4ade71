// A CodeDeploy lifecycle hook: reports success for the deployment that invoked it.
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
const client = new CodeDeployClient({});
exports.handler = async (event) => {
  console.log('postHook', event.DeploymentId);
  await client.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: 'Succeeded',
  }));
};
