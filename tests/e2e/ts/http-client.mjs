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
// validate against the protocol's schema.
//
// Run by tests/e2e/test_calculator_http.py with the Node of scripts/node-env.sh; the SDK
// is resolved from the node_modules beside this file (target/node-env/ts).

import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const OVERALL_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

const url = process.argv[2] ?? process.env.MCP_URL;
const token = process.env.MCP_AUTH_TOKEN;
const capturePath = process.env.MCP_E2E_CAPTURE;

const exchanges = [];
const pendingBodies = [];

function fail(reason) {
    saveCapture();
    console.error(`http-client.mjs: FAIL: ${reason}`);
    process.exit(1);
}

function check(condition, what) {
    if (!condition) throw new Error(what);
}

function headersObject(headers) {
    const out = {};
    new Headers(headers ?? {}).forEach((value, name) => {
        if (name === 'authorization') {
            const [scheme, credential] = value.split(' ');
            value = credential ? `${scheme} <${credential.length} chars>` : scheme;
        }
        out[name] = value;
    });
    return out;
}

function saveCapture() {
    if (!capturePath) return;
    writeFileSync(capturePath, exchanges.map((e) => JSON.stringify(e) + '\n').join(''));
}

// A fetch that records each exchange; the SDK gets the original response, the recording
// reads a clone of its body as it streams.
async function recordingFetch(input, init) {
    const request = new Request(input, init);
    const exchange = {
        index: exchanges.length + 1,
        method: request.method,
        url: request.url,
        requestHeaders: headersObject(request.headers),
        requestBody: typeof init?.body === 'string' ? init.body : null,
        tSent: performance.now() / 1000,
        status: null,
        responseHeaders: null,
        chunks: [],
        error: null,
    };
    exchanges.push(exchange);
    let response;
    try {
        response = await fetch(input, init);
    } catch (error) {
        exchange.error = String(error);
        throw error;
    }
    exchange.status = response.status;
    exchange.responseHeaders = headersObject(response.headers);
    if (response.body) {
        const reader = response.clone().body.getReader();
        const decoder = new TextDecoder();
        pendingBodies.push(
            (async () => {
                try {
                    for (;;) {
                        const { done, value } = await reader.read();
                        if (done) break;
                        exchange.chunks.push([performance.now() / 1000, decoder.decode(value, { stream: true })]);
                    }
                } catch (error) {
                    exchange.error = String(error);
                }
            })(),
        );
    }
    return response;
}

async function main() {
    check(url, 'no URL: pass it as the first argument or in MCP_URL');
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers },
        fetch: recordingFetch,
    });
    const client = new Client({ name: 'mcp-e2e-ts-client', version: '0.1.0' });
    const options = { timeout: REQUEST_TIMEOUT_MS };

    try {
        await client.connect(transport, options);
    } catch (error) {
        throw new Error(`connect failed: ${error?.message ?? error} (code ${error?.code})`);
    }

    const listed = await client.listTools(undefined, options);
    const tools = listed.tools.map((t) => t.name);
    for (const name of ['add', 'divide', 'count']) check(tools.includes(name), `tools/list lacks ${name}: ${tools}`);

    const textOf = (result, what) => {
        check(Array.isArray(result.content) && result.content.length === 1, `${what}: expected one content block, got ${JSON.stringify(result)}`);
        check(result.content[0].type === 'text', `${what}: expected text content, got ${JSON.stringify(result.content[0])}`);
        return result.content[0].text;
    };

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
    if (transport.sessionId) await transport.terminateSession();
    await client.close();
    await Promise.race([Promise.allSettled(pendingBodies), new Promise((r) => setTimeout(r, 2000))]);
    console.log(JSON.stringify(summary));
    console.log('OK');
}

const timer = setTimeout(() => fail(`timed out after ${OVERALL_TIMEOUT_MS} ms`), OVERALL_TIMEOUT_MS);
main()
    .then(() => {
        clearTimeout(timer);
        saveCapture();
        process.exit(0);
    })
    .catch((error) => fail(error?.stack ?? String(error)));
