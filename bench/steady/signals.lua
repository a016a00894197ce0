-- wrk script for bench/steady.sh: every request is a distinct Alertmanager webhook (a counter in an
-- annotation), so none is answered from the redelivery memory.
--   storm: one alert, so every signal after the first is a duplicate of one incident
--   new:   a new alertname per request, so every signal opens an incident
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  mode = args[1] or "storm"
  counter = 0
end

local template = '{"alerts":[{"status":"firing","labels":{"alertname":"%s","severity":"critical",'
  .. '"namespace":"bench","pod":"app-0000-7d9f8b6c5-x2k4p"},"annotations":{"delivery":"%d-%d"},'
  .. '"startsAt":"2026-01-01T00:00:00Z"}]}'
local headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  local alertname = "KubePodCrashLooping"
  if mode == "new" then
    alertname = string.format("Steady%d_%d", id, counter)
  end
  return wrk.format("POST", nil, headers, string.format(template, alertname, id, counter))
end
