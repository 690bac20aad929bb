// The form cdk-nag gives a policy resource in a granular finding (`AwsSolutions-IAM5[Resource::…]`),
// so an acknowledgement names exactly that resource and no other: the ARN as CloudFormation will
// see it, with `Ref`s and `Fn::GetAtt`s written `<Name>` / `<Name.Attr>` and `Fn::Join`s flattened.
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const n = node as Record<string, unknown>;
  if (n['Fn::Join']) {
    const [delimiter, items] = n['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (n['Fn::Sub']) return flatten(n['Fn::Sub']);
  if (n['Fn::GetAtt']) {
    const [resource, attribute] = n['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (n['Fn::ImportValue']) return flatten(n['Fn::ImportValue']);
  if (n.Ref) return `<${flatten(n.Ref)}>`;
  return JSON.stringify(node);
}

/** The finding id of a wildcard resource for a rule, e.g. `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…/*]`. */
export function wildcardResourceFinding(scope: IConstruct, rule: string, resource: string): string {
  return `${rule}[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}
