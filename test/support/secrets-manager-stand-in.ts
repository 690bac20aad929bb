// A real HTTP server on 127.0.0.1 that answers GetSecretValue like AWS Secrets Manager (JSON 1.1
// protocol), for the SDK the function uses, reached through AWS_ENDPOINT_URL_SECRETS_MANAGER.
import * as http from 'http';
import { listenOnLoopback } from './loopback';

export interface SecretsManagerStandIn {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly url: string;
  /** Every request: the operation (`X-Amz-Target`) and the JSON body. */
  readonly requests: Array<{ target: string; body: any }>;
  close(): Promise<void>;
}

/** Serves `secrets` (secret id or ARN → SecretString); any other id is ResourceNotFoundException. */
export async function startSecretsManagerStandIn(secrets: Record<string, string>): Promise<SecretsManagerStandIn> {
  const requests: Array<{ target: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: any = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // an empty or broken body is answered as a missing secret
      }
      requests.push({ target, body });
      const answer = (status: number, payload: unknown, errorType?: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
        res.end(JSON.stringify(payload));
      };
      const value = typeof body.SecretId === 'string' ? secrets[body.SecretId] : undefined;
      if (target !== 'secretsmanager.GetSecretValue') return answer(400, { __type: 'UnknownOperationException', message: target }, 'UnknownOperationException');
      if (value === undefined) return answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }, 'ResourceNotFoundException');
      answer(200, { ARN: body.SecretId, Name: String(body.SecretId).split(':').pop(), SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1_795_000_000 });
    });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: loopback.url,
    requests,
    close: loopback.close,
  };
}
