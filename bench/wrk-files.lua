-- wrk script: GETs random files of a set, prints a machine-readable result line.
-- Environment: PREFIX (path before the file name), COUNT (number of files), TOKEN (optional).
local prefix = os.getenv("PREFIX")
local count = tonumber(os.getenv("COUNT") or "1")
local token = os.getenv("TOKEN")
local single = os.getenv("FILE")

init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  if token and token ~= "" then
    wrk.headers["PRIVATE-TOKEN"] = token
  end
end

request = function()
  if single and single ~= "" then
    return wrk.format("GET", prefix .. single)
  end
  return wrk.format("GET", prefix .. string.format("small-%04d.bin", math.random(0, count - 1)))
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests_per_s=%.1f bytes_per_s=%.1f errors=%d p99_ms=%.2f\n",
    summary.requests / seconds, summary.bytes / seconds, bad, latency:percentile(99) / 1000))
end
