-- Argo CD health check for profiler.dev/ProfileSchedule
-- (resource.customizations.health.profiler.dev_ProfileSchedule).
-- Suspended: spec.suspend, or Ready=False with reason Suspended. Degraded: Ready=False with reason
-- InvalidSchedule (the schedule or time zone cannot be evaluated). Healthy: Ready=True (runs are
-- created on schedule; a failed run shows on its ProfileJob, a child in the tree). Progressing:
-- no status yet, or a status older than the spec.
local function condition(status, ctype)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == ctype then
      return c
    end
  end
  return nil
end

local function text(value, fallback)
  if value == nil or value == "" then
    return fallback
  end
  return tostring(value)
end

local status = obj.status
local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "False" and ready.reason == "InvalidSchedule" then
  return { status = "Degraded", message = text(ready.message, "InvalidSchedule") }
end
if (obj.spec ~= nil and obj.spec.suspend == true) or (ready ~= nil and ready.reason == "Suspended") then
  return { status = "Suspended", message = "Suspended: no new runs" }
end
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
if status == nil or ready == nil then
  return { status = "Progressing", message = "Waiting for the controller" }
end
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  return { status = "Progressing", message = "Waiting for the controller to observe generation " .. tostring(generation) }
end
if ready.status == "True" then
  local message = text(ready.message, "Scheduling")
  if status.lastScheduleTime ~= nil then
    message = message .. "; last run scheduled " .. tostring(status.lastScheduleTime)
  end
  return { status = "Healthy", message = message }
end
return { status = "Progressing", message = text(ready.message, text(ready.reason, "Waiting")) }
