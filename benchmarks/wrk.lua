-- One wrk script for every scenario of benchmarks/run, configured by environment variables
-- (bench.py sets them; wrk's Lua states see the process environment):
--
--   BENCH_MODE    static | pool | flow
--   BENCH_METHOD, BENCH_PATH, BENCH_BODY, BENCH_CTYPE, BENCH_AUTH, BENCH_COOKIE
--                 the request (static mode; pool mode uses METHOD, PATH, CTYPE, AUTH)
--   BENCH_EXPECT  a substring every successful (< 400) answer's body must contain; else it
--                 counts as a bad answer (e.g. an introspection answering {"active":false})
--   BENCH_POOL    pool mode: a file of request bodies, one per line, each used once
--                 (client assertions: a jti is single-use by design). Thread i of n takes
--                 lines i, i+n, i+2n, …; if a thread runs out it starts over and counts
--                 the reuses in `reused` (those answers then fail, as they must).
--   BENCH_TOKEN_AUTH, BENCH_TOKEN_BODY
--                 flow mode: GET BENCH_PATH (the authorization request, with the session
--                 cookie) answers a redirect carrying a code; the code goes into a per-thread
--                 queue and the next request that thread sends on any connection redeems it
--                 at the token endpoint (POST BENCH_TOKEN_BODY .. code). A flow is complete
--                 when the token answer holds an access token.
--   BENCH_RESULT  where done() writes the JSON summary.
--
-- Latencies are wrk's own per-request figures (microseconds), errors are wrk's socket
-- errors, status >= 400 (wrk counts those itself) and bad answers.

local mode = os.getenv("BENCH_MODE") or "static"
local expect = os.getenv("BENCH_EXPECT")
if expect == "" then expect = nil end

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua state).
bad = 0          -- answers < 400 whose body or redirect was not the expected one
completed = 0    -- operations completed as expected (flow: code redeemed for tokens)
reused = 0       -- pool mode: bodies sent a second time after the pool ran out
statuses = {}    -- status code -> count
bad_sample = ""  -- the first bad answer, for the report

local function header_map()
   local h = {}
   local ctype = os.getenv("BENCH_CTYPE")
   if ctype and ctype ~= "" then h["Content-Type"] = ctype end
   local auth = os.getenv("BENCH_AUTH")
   if auth and auth ~= "" then h["Authorization"] = auth end
   local cookie = os.getenv("BENCH_COOKIE")
   if cookie and cookie ~= "" then h["Cookie"] = cookie end
   return h
end

local pool, pool_size, pool_next = {}, 0, 1
local queue, qhead, qtail = {}, 1, 0
local authorize_request, token_headers, token_body_prefix

function init(args)
   wrk.method = os.getenv("BENCH_METHOD") or "GET"
   wrk.path = os.getenv("BENCH_PATH") or "/"
   wrk.headers = header_map()
   local body = os.getenv("BENCH_BODY")
   if body and body ~= "" then wrk.body = body end

   if mode == "pool" then
      local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
      local line_number = 0
      for line in io.lines(os.getenv("BENCH_POOL")) do
         if line_number % nthreads == tid then
            pool_size = pool_size + 1
            pool[pool_size] = line
         end
         line_number = line_number + 1
      end
      if pool_size == 0 then error("empty request pool for thread " .. tid) end
   elseif mode == "flow" then
      authorize_request = wrk.format("GET", wrk.path, wrk.headers)
      token_headers = {
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["Authorization"] = os.getenv("BENCH_TOKEN_AUTH"),
      }
      token_body_prefix = os.getenv("BENCH_TOKEN_BODY")
   end
end

if mode == "pool" then
   local wrapped = false
   function request()
      if pool_next > pool_size then
         pool_next = 1
         wrapped = true
      end
      if wrapped then reused = reused + 1 end
      local body = pool[pool_next]
      pool_next = pool_next + 1
      return wrk.format(nil, nil, nil, body)
   end
elseif mode == "flow" then
   function request()
      if qhead <= qtail then
         local code = queue[qhead]
         queue[qhead] = nil
         qhead = qhead + 1
         return wrk.format("POST", "/api/v1/oauth/token", token_headers, token_body_prefix .. code)
      end
      return authorize_request
   end
end

local function note_bad(status, headers, body)
   bad = bad + 1
   if bad_sample == "" then
      local location = headers["location"] or headers["Location"] or ""
      bad_sample = tostring(status) .. " " .. location .. " " .. string.sub(body or "", 1, 200)
   end
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status >= 400 then
      if bad_sample == "" then bad_sample = tostring(status) .. " " .. string.sub(body or "", 1, 200) end
      return -- wrk counts these itself (errors.status)
   end
   if mode == "flow" then
      if status == 302 or status == 303 then
         local location = headers["location"] or headers["Location"]
         local code = location and string.match(location, "[?&]code=([^&]+)")
         if code then
            qtail = qtail + 1
            queue[qtail] = code
         else
            note_bad(status, headers, body)
         end
      elseif status == 200 and string.find(body, '"access_token"', 1, true) then
         completed = completed + 1
      else
         note_bad(status, headers, body)
      end
      return
   end
   if expect and not string.find(body, expect, 1, true) then
      note_bad(status, headers, body)
   else
      completed = completed + 1
   end
end

local function json_string(s)
   return '"' .. string.gsub(s, '[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
   end) .. '"'
end

function done(summary, latency, requests)
   local total_bad, total_completed, total_reused = 0, 0, 0
   local all_statuses = {}
   local sample = ""
   for _, thread in ipairs(threads) do
      total_bad = total_bad + thread:get("bad")
      total_completed = total_completed + thread:get("completed")
      total_reused = total_reused + thread:get("reused")
      local s = thread:get("bad_sample")
      if sample == "" and s and s ~= "" then sample = s end
      for code, count in pairs(thread:get("statuses")) do
         all_statuses[code] = (all_statuses[code] or 0) + count
      end
   end
   local parts = {}
   for code, count in pairs(all_statuses) do
      table.insert(parts, string.format('"%d": %d', code, count))
   end
   local e = summary.errors
   local out = string.format(
      '{"duration_us": %d, "requests": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %.1f, "p90": %.1f, "p99": %.1f, "max": %.1f, "mean": %.1f}, ' ..
      '"bad": %d, "completed": %d, "reused": %d, "statuses": {%s}, "bad_sample": %s}\n',
      summary.duration, summary.requests, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      total_bad, total_completed, total_reused, table.concat(parts, ", "), json_string(sample))
   local file = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
   file:write(out)
   file:close()
end
