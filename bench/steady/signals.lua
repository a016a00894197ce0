-- wrk script for bench/steady.sh: every request is a distinct Alertmanager webhook (the run's nonce,
-- the thread and a counter in an annotation), so none is answered from the redelivery memory, also
-- not in a later wrk run of the same gateway. Arguments: mode, duplicates, recurring, nonce, and
-- the signals sent by earlier runs, so each run goes on through the pods where the last one stopped
-- instead of coming back to pods it just sent about.
--   storm: one pod of the managed namespace, so every signal after the first is a duplicate of one
--          incident
--   new:   the pods of the recurring namespace in turn; the bench API server deletes an incident of
--          that namespace once the gateway has written it, so every signal opens an incident as
--          long as a pod comes round again only after its last incident is gone
--   mixed: every tenth signal as in new, the others the managed namespace's `duplicates` pods in
--          turn (one active incident each, so every such signal is a duplicate, and with more pods
--          than connections rarely one folded into another's write)
-- The alert name stays the same: it is not part of an incident's identity (the owner workload is).
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  mode = args[1] or "storm"
  duplicates = tonumber(args[2] or "1")
  recurring = tonumber(args[3] or "0")
  nonce = args[4] or "0"
  -- each of the two threads sent about half of the earlier runs' signals
  counter = math.floor(tonumber(args[5] or "0") / 2)
  if mode ~= "storm" and recurring < 1 then
    error("mode " .. mode .. " needs recurring workloads")
  end
end

local template = '{"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping",'
  .. '"severity":"critical","namespace":"%s","pod":"app-%04d-7d9f8b6c5-x2k4p"},'
  .. '"annotations":{"delivery":"%s-%d-%d"},"startsAt":"2026-01-01T00:00:00Z"}]}'
local headers = { ["Content-Type"] = "application/json" }

-- the two threads start half a pool apart, so they do not send about the same pod at once
local function recurringPod(n)
  return "bench-recurring", (n + id * math.floor(recurring / 2)) % recurring
end

local function duplicatePod(n)
  return "bench", (n + id * math.floor(duplicates / 2)) % duplicates
end

function request()
  counter = counter + 1
  local namespace, pod = "bench", 0
  if mode == "new" then
    namespace, pod = recurringPod(counter)
  elseif mode == "mixed" then
    local news = math.floor(counter / 10)
    if counter % 10 == 0 then
      namespace, pod = recurringPod(news)
    else
      namespace, pod = duplicatePod(counter - news)
    end
  end
  return wrk.format("POST", nil, headers, string.format(template, namespace, pod, nonce, id, counter))
end
