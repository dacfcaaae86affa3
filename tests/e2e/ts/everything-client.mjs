// The official TypeScript MCP SDK (@modelcontextprotocol/sdk, pinned in package.json)
// against the `everything` example over Streamable HTTP: resources, prompts, elicitation.
//
//   MCP_AUTH_TOKEN=... node everything-client.mjs http://127.0.0.1:PORT/mcp
//
// The URL comes from the first argument (else MCP_URL), the bearer token from
// MCP_AUTH_TOKEN. Connects with StreamableHTTPClientTransport, declaring the
// `elicitation` capability (form mode) and answering `elicitation/create` through
// `client.setRequestHandler(ElicitRequestSchema, ...)`. SDK 1.32.2 speaks up to
// 2025-11-25 and has no support for 2026-07-28 multi round-trip requests
// (`input_required` results), so this is a legacy session: the server sends its
// questions as requests on the connection.
//
// It reads test://static-text and the template resource test://template/42/data, lists
// the resource templates, gets test_prompt_with_arguments, and calls
// test_input_required_result_elicitation (answering name "Alice", then once declining)
// and test_input_required_result_multi_round (two questions, two answers). It checks the
// results; on success it prints one JSON summary line and then "OK" and exits 0, on any
// failure it prints "everything-client.mjs: FAIL: <reason>" on stderr and exits 1. The
// whole run is bounded by 30 s.
//
// With MCP_E2E_CAPTURE=<file>, every HTTP exchange the SDK makes (through the transport's
// `fetch` option) is written there, one JSON object per line, for the Python test to
// validate (the same format as http-client.mjs). The connecting, recording and running
// are common.mjs's.
//
// Run by tests/e2e/test_everything_sdk.py with the Node of scripts/node-env.sh; the SDK is
// resolved from the node_modules beside this file (target/node-env/ts).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { check, connect, createTransport, finish, requestOptions as options, run, textOf } from './common.mjs';

const onlyText = (result, what) => {
    check(Array.isArray(result.contents) && result.contents.length === 1, `${what}: expected one content item, got ${JSON.stringify(result)}`);
    const item = result.contents[0];
    check(typeof item.text === 'string', `${what}: expected text contents, got ${JSON.stringify(item)}`);
    return { uri: item.uri, mimeType: item.mimeType, text: item.text };
};

const toolText = (result, what) => {
    check(!result.isError, `${what} returned an error result: ${JSON.stringify(result)}`);
    return textOf(result, what);
};

async function main() {
    const transport = createTransport();
    const client = new Client(
        { name: 'mcp-e2e-ts-client', version: '0.1.0' },
        { capabilities: { elicitation: { form: {} } } },
    );

    // Every elicitation the server asks, and how this client answers: `answer` is replaced
    // per call below.
    const asked = [];
    let answer = () => ({ action: 'cancel' });
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
        const { message, requestedSchema, mode } = request.params;
        asked.push({ message, requestedSchema, mode: mode ?? null });
        return answer(request.params);
    });

    await connect(client, transport);
    const protocolVersion = transport.protocolVersion ?? null;

    // Resources: a fixed one and a template one.
    const staticText = onlyText(await client.readResource({ uri: 'test://static-text' }, options), 'test://static-text');
    const templates = (await client.listResourceTemplates(undefined, options)).resourceTemplates.map((t) => t.uriTemplate);
    const template = onlyText(await client.readResource({ uri: 'test://template/42/data' }, options), 'test://template/42/data');

    // A prompt with arguments.
    const prompt = await client.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'first', arg2: 'second' } }, options);
    const promptMessages = prompt.messages.map((m) => {
        check(m.content.type === 'text', `prompt message is not text: ${JSON.stringify(m)}`);
        return { role: m.role, text: m.content.text };
    });

    // A tool that asks the user's name, answered by the handler.
    answer = () => ({ action: 'accept', content: { name: 'Alice' } });
    const elicitationText = toolText(
        await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }, undefined, options),
        'test_input_required_result_elicitation',
    );
    const elicitationAsked = asked.splice(0);

    // Two questions, one after the other.
    answer = (params) =>
        'name' in (params.requestedSchema?.properties ?? {})
            ? { action: 'accept', content: { name: 'Alice' } }
            : { action: 'accept', content: { color: 'blue' } };
    const multiRoundText = toolText(
        await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} }, undefined, options),
        'test_input_required_result_multi_round',
    );
    const multiRoundAsked = asked.splice(0);
    check(multiRoundAsked.length === 2, `multi_round asked ${JSON.stringify(multiRoundAsked)}, expected two questions`);

    // A declined elicitation.
    answer = () => ({ action: 'decline' });
    const declinedText = toolText(
        await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }, undefined, options),
        'test_input_required_result_elicitation (declined)',
    );
    const declinedAsked = asked.splice(0);
    check(declinedAsked.length === 1, `the declined call asked ${JSON.stringify(declinedAsked)}`);

    const summary = {
        protocolVersion,
        sessionId: transport.sessionId ?? null,
        serverVersion: client.getServerVersion() ?? null,
        staticText,
        templates,
        template,
        prompt: promptMessages,
        elicitation: { text: elicitationText, asked: elicitationAsked },
        multiRound: { text: multiRoundText, asked: multiRoundAsked },
        declined: declinedText,
    };

    await finish(client, transport, summary);
}

run('everything-client.mjs', main);
