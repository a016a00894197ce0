-- wrk script for bench/steady.sh: every request is a distinct Alertmanager webhook (the run's
-- nonce, the thread and a counter in an annotation), so none is answered from the redelivery
-- memory. Each measurement window is a new wrk process whose counters start again at 0: without
-- the nonce, a window would resend the previous windows' bodies and be answered from memory.
--   storm: one alert, so every signal after the first is a duplicate of one incident
--   new:   a new alertname per request, so every signal opens an incident
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  mode = args[1] or "storm"
  run = args[2] or "0"
  counter = 0
end

local template = '{"alerts":[{"status":"firing","labels":{"alertname":"%s","severity":"critical",'
  .. '"namespace":"bench","pod":"app-0000-7d9f8b6c5-x2k4p"},"annotations":{"delivery":"%s-%d-%d"},'
  .. '"startsAt":"2026-01-01T00:00:00Z"}]}'
local headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  local alertname = "KubePodCrashLooping"
  if mode == "new" then
    alertname = string.format("Steady%d_%d", id, counter)
  end
  return wrk.format("POST", nil, headers, string.format(template, alertname, run, id, counter))
end
