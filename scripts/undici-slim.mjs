/**
 * The part of undici the proxy uses (Agent with its request API, and errors), for the server bundle only
 * (scripts/build-server.mjs resolves `undici` to this file). undici's index loads fetch, WebSocket, the cache and
 * the mock agent too: half a megabyte of code compiled at every start for nothing. Mirrors undici's index.js
 * for these two exports; undici is pinned, and the production-start test runs the bundle through it.
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import errors from 'undici/lib/core/errors.js';

Object.assign(Dispatcher.prototype, api);

export { Agent, errors };
