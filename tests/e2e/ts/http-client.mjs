// The official TypeScript MCP SDK (@modelcontextprotocol/sdk, pinned in package.json)
// against the calculator over Streamable HTTP.
//
//   MCP_AUTH_TOKEN=... node http-client.mjs http://127.0.0.1:PORT/mcp
//
// The URL comes from the first argument (else MCP_URL), the bearer token from
// MCP_AUTH_TOKEN (without it no Authorization header is sent). Connects with
// StreamableHTTPClientTransport, lists the tools, calls add(2, 0.5), divide(1, 0) and
// count(3) with a progress callback, and checks every result. On success it prints one
// JSON summary line (negotiated protocol version, session id, results) and then "OK",
// and exits 0; on any failure it prints "http-client.mjs: FAIL: <reason>" on stderr and
// exits 1. The whole run is bounded by 30 s.
//
// With MCP_E2E_CAPTURE=<file>, every HTTP exchange the SDK makes (through the transport's
// `fetch` option) is written there, one JSON object per line, for the Python test to
// validate against the protocol's schema. The connecting, recording and running are
// common.mjs's.
//
// Run by tests/e2e/test_calculator_http.py with the Node of scripts/node-env.sh; the SDK
// is resolved from the node_modules beside this file (target/node-env/ts).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { check, connect, createTransport, finish, requestOptions as options, run, textOf } from './common.mjs';

async function main() {
    const transport = createTransport();
    const client = new Client({ name: 'mcp-e2e-ts-client', version: '0.1.0' });
    await connect(client, transport);

    const listed = await client.listTools(undefined, options);
    const tools = listed.tools.map((t) => t.name);
    for (const name of ['add', 'divide', 'count']) check(tools.includes(name), `tools/list lacks ${name}: ${tools}`);

    const add = await client.callTool({ name: 'add', arguments: { a: 2, b: 0.5 } }, undefined, options);
    check(!add.isError, `add(2, 0.5) returned an error result: ${JSON.stringify(add)}`);
    const addText = textOf(add, 'add(2, 0.5)');
    check(addText === '2.5', `add(2, 0.5) gave ${JSON.stringify(addText)}, expected "2.5"`);

    const divide = await client.callTool({ name: 'divide', arguments: { a: 1, b: 0 } }, undefined, options);
    check(divide.isError === true, `divide(1, 0) must have isError: true, got ${JSON.stringify(divide)}`);
    const divideText = textOf(divide, 'divide(1, 0)');
    check(/zero/i.test(divideText), `divide(1, 0) text does not explain: ${JSON.stringify(divideText)}`);

    const progress = [];
    const count = await client.callTool({ name: 'count', arguments: { to: 3 } }, undefined, {
        ...options,
        onprogress: (p) => progress.push({ progress: p.progress, total: p.total, message: p.message }),
    });
    check(!count.isError, `count(3) returned an error result: ${JSON.stringify(count)}`);
    const countText = textOf(count, 'count(3)');
    check(countText === '3', `count(3) gave ${JSON.stringify(countText)}, expected "3"`);
    check(
        JSON.stringify(progress.map((p) => p.progress)) === '[1,2,3]',
        `count(3) progress callbacks: ${JSON.stringify(progress)}, expected progress 1, 2, 3`,
    );
    check(progress.every((p) => p.total === 3), `count(3) progress totals: ${JSON.stringify(progress)}`);

    const summary = {
        protocolVersion: transport.protocolVersion ?? null,
        sessionId: transport.sessionId ?? null,
        serverVersion: client.getServerVersion() ?? null,
        tools,
        add: addText,
        divideByZero: { isError: divide.isError, text: divideText },
        count: countText,
        progress,
    };

    // End the session (the spec's SHOULD for a client that is done), then close.
    await finish(client, transport, summary);
}

run('http-client.mjs', main);
