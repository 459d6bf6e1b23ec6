// A local OpenID provider standing in for Госуслуги (ESIA) in the black-box tests.
//
// Started by the Rust tests (`tests/src/esia.rs`): listens on a free port of 127.0.0.1
// and prints one JSON line `{"issuer": "http://127.0.0.1:PORT"}` once it is ready.
// There is no login page: the interaction endpoint signs in the test person named by
// the authorization request's `login_hint` and grants what was asked, so a test
// obtains a code with plain HTTP requests.
//
// Environment (for the failure cases):
//   ID_TOKEN_TTL    seconds an ID token lives (default 600)
//   TAMPER_ID_TOKEN `1` changes the ID token's payload after it was signed
//   CLOCK_OFFSET    seconds the provider's clock is off (negative: behind), so that
//                   with a short ID_TOKEN_TTL its tokens arrive already expired
import http from 'node:http';
import Provider from 'oidc-provider';

const offset = Number(process.env.CLOCK_OFFSET || 0) * 1000;
if (offset) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}

const people = {
  citizen: {
    family_name: 'Госуслугин',
    given_name: 'Пётр',
    middle_name: 'Сергеевич',
    birthdate: '1985-03-14',
    email: 'petr@example.ru',
    phone_number: '+7 (916) 000-00-01',
    snils: '123-456-789 64',
  },
  twin: {
    family_name: 'Двойников',
    given_name: 'Иван',
    birthdate: '1991-07-01',
    email: 'twin@example.ru',
    snils: '234-567-890 99',
  },
  staffmade: {
    family_name: 'Записанный',
    given_name: 'Олег',
    birthdate: '1979-11-30',
    snils: '345-678-901 23',
  },
  director: {
    family_name: 'Директоров',
    given_name: 'Антон',
    birthdate: '1970-01-20',
    email: 'director@example.ru',
    snils: '456-789-012 38',
    organization: { ogrn: '1147746000005', inn: '7707083893', name: 'ООО «Проверенное»', role: 'chief' },
  },
  clerk: {
    family_name: 'Счетоводов',
    given_name: 'Илья',
    birthdate: '1988-05-05',
    snils: '567-890-123 43',
    organization: { ogrn: '1147746000005', inn: '7707083893', name: 'ООО «Проверенное»', role: 'employee' },
  },
  nosnils: {
    family_name: 'Безснилсов',
    given_name: 'Ян',
  },
};

const claimsOf = (id) => ({ sub: `esia-${id}`, ...people[id] });

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'portal',
      client_secret: 'portal-test-secret',
      redirect_uris: ['https://cabinet.example/esia/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    cookies: { keys: ['portal-test-cookie-key'] },
    claims: {
      openid: ['sub'],
      profile: ['family_name', 'given_name', 'middle_name', 'birthdate'],
      email: ['email'],
      phone: ['phone_number'],
      snils: ['snils'],
      organization: ['organization'],
    },
    // The ID token carries the scopes' claims, as ESIA's does.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 600) },
    async findAccount(ctx, sub) {
      const id = sub.replace(/^esia-/, '');
      if (!people[id]) return undefined;
      return { accountId: sub, async claims() { return claimsOf(id); } };
    },
  });

  // The interaction: sign in the person of `login_hint`, grant what was asked.
  provider.use(async (ctx, next) => {
    const match = ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([^/]+)$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session } = details;
    let result;
    if (prompt.name === 'login') {
      const id = params.login_hint;
      result = people[id]
        ? { login: { accountId: `esia-${id}` } }
        : { error: 'access_denied', error_description: 'unknown test person' };
    } else {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      grant.addOIDCScope(params.scope);
      result = { consent: { grantId: await grant.save() } };
    }
    return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  });

  // A forged ID token: same header and signature, another person in the payload.
  if (process.env.TAMPER_ID_TOKEN === '1') {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
        const [header, payload, signature] = ctx.body.id_token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        claims.snils = people.twin.snils;
        claims.sub = 'esia-twin';
        const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
        ctx.body = { ...ctx.body, id_token: `${header}.${forged}.${signature}` };
      }
    });
  }

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  // Anything the package logs later goes to stderr, which the tests discard.
  console.log = console.info = console.warn;
});

// The test that started this process ends it; a closed stdin means it is gone.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
