-- Argo CD health check for profiler.dev/ProfileJob (resource.customizations.health.profiler.dev_ProfileJob).
-- Healthy: Succeeded. Degraded: Failed, Cancelled, or a Failed=True condition. Suspended:
-- spec.suspend or a Suspended=True condition while not finished. Progressing: everything else
-- (no status yet, a status older than the spec, Pending, Submitted, Running).
local hs = { status = "Progressing", message = "Waiting for the controller" }

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
local suspended = obj.spec ~= nil and obj.spec.suspend == true
if status == nil or status.phase == nil then
  if suspended then
    return { status = "Suspended", message = "Suspended before submission" }
  end
  return hs
end

local phase = status.phase
if phase == "Succeeded" then
  hs.status = "Healthy"
  local rows = status.result ~= nil and status.result.rows or nil
  if rows ~= nil then
    hs.message = "Profiled " .. tostring(rows) .. " rows"
  else
    hs.message = text(status.message, "Succeeded")
  end
  return hs
end
if phase == "Failed" or phase == "Cancelled" then
  hs.status = "Degraded"
  hs.message = phase .. ": " .. text(status.message, "no message")
  return hs
end

local failed = condition(status, "Failed")
if failed ~= nil and failed.status == "True" then
  return { status = "Degraded", message = text(failed.message, text(failed.reason, "Failed")) }
end
local suspendedCondition = condition(status, "Suspended")
if suspended or (suspendedCondition ~= nil and suspendedCondition.status == "True") then
  return { status = "Suspended", message = text(status.message, "Suspended") }
end

local generation = obj.metadata ~= nil and obj.metadata.generation or nil
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  return { status = "Progressing", message = "Waiting for the controller to observe generation " .. tostring(generation) }
end

hs.status = "Progressing"
local attempt = status.attempt
local prefix = phase
if attempt ~= nil and attempt > 1 then
  prefix = phase .. " (attempt " .. tostring(attempt) .. ")"
end
local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "False" and ready.message ~= nil and ready.message ~= "" then
  hs.message = prefix .. ": " .. ready.message
else
  hs.message = prefix .. ": " .. text(status.message, "in progress")
end
return hs
