-- wrk script: POST check requests with rotating subjects from PROBE (field<TAB>value<TAB>hit|miss).
-- ROUTE (/api/v1/checks or the bare endpoint's /check), KEY (bearer), SCENARIO, SUBJECTS per request.
local subjects = {}
local counter = 0
local path = os.getenv("PROBE") or "bench/out/probe.tsv"
local key = os.getenv("KEY") or ""
local route = os.getenv("ROUTE") or "/api/v1/checks"
local scenario = os.getenv("SCENARIO") or "civil-aviation.ticket"
local per = tonumber(os.getenv("SUBJECTS") or "1")
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(path) do
    local field, value = line:match("^(%S+)\t(%S+)")
    if field then subjects[#subjects + 1] = '{"' .. field .. '":"' .. value .. '"}' end
  end
  counter = ((tid or 0) * 7919) % #subjects
  wrk.headers["Content-Type"] = "application/json"
  if key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
end

function request()
  local parts = {}
  for i = 1, per do
    counter = counter % #subjects + 1
    parts[i] = subjects[counter]
  end
  local body = '{"scenario":"' .. scenario .. '","reference":"wrk","subjects":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", route, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"mean_ms":%.3f,"max_ms":%.3f,"errors_status":%d,"errors_socket":%d,"subjects_per_request":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, per))
end
