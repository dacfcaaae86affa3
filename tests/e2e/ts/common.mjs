// What the TypeScript SDK clients of the end-to-end tests share (http-client.mjs,
// everything-client.mjs): the URL and token they connect with, a fetch that records every
// HTTP exchange for the Python tests, connecting and closing, result helpers, and the
// overall run (bounded by 30 s, "OK" on success, "<script>: FAIL: <reason>" on stderr and
// exit status 1 on failure).
//
// The URL comes from the first argument (else MCP_URL), the bearer token from
// MCP_AUTH_TOKEN (without it no Authorization header is sent). With MCP_E2E_CAPTURE=<file>,
// every HTTP exchange the SDK makes (through the transport's `fetch` option) is written
// there, one JSON object per line.
//
// The Python tests copy this module next to the scripts, beside the node_modules of
// target/node-env/ts (tests/e2e/ts_client.py).

import { writeFileSync } from 'node:fs';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const OVERALL_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** Options of every SDK request. */
export const requestOptions = { timeout: REQUEST_TIMEOUT_MS };

const url = process.argv[2] ?? process.env.MCP_URL;
const token = process.env.MCP_AUTH_TOKEN;
const capturePath = process.env.MCP_E2E_CAPTURE;

const exchanges = [];
const pendingBodies = [];

export function check(condition, what) {
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

/** A StreamableHTTPClientTransport to the URL, with the bearer token and the recording fetch. */
export function createTransport() {
    check(url, 'no URL: pass it as the first argument or in MCP_URL');
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    return new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers },
        fetch: recordingFetch,
    });
}

export async function connect(client, transport) {
    try {
        await client.connect(transport, requestOptions);
    } catch (error) {
        throw new Error(`connect failed: ${error?.message ?? error} (code ${error?.code})`);
    }
}

/** End the session (the spec's SHOULD for a client that is done), close, let the recorded
 * bodies finish, then print the summary line and "OK". */
export async function finish(client, transport, summary) {
    if (transport.sessionId) await transport.terminateSession();
    await client.close();
    await Promise.race([Promise.allSettled(pendingBodies), new Promise((r) => setTimeout(r, 2000))]);
    console.log(JSON.stringify(summary));
    console.log('OK');
}

/** The single text content block of a tool result. */
export function textOf(result, what) {
    check(Array.isArray(result.content) && result.content.length === 1, `${what}: expected one content block, got ${JSON.stringify(result)}`);
    check(result.content[0].type === 'text', `${what}: expected text content, got ${JSON.stringify(result.content[0])}`);
    return result.content[0].text;
}

/** Run `main` within the overall time bound; exit 0 after it, 1 (with the reason on stderr,
 * prefixed by `script`) on any failure. The capture is saved either way. */
export function run(script, main) {
    const fail = (reason) => {
        saveCapture();
        console.error(`${script}: FAIL: ${reason}`);
        process.exit(1);
    };
    const timer = setTimeout(() => fail(`timed out after ${OVERALL_TIMEOUT_MS} ms`), OVERALL_TIMEOUT_MS);
    main()
        .then(() => {
            clearTimeout(timer);
            saveCapture();
            process.exit(0);
        })
        .catch((error) => fail(error?.stack ?? String(error)));
}
