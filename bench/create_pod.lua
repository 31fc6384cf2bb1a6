-- wrk script: POST a pod with generateName, so every request creates a new pod.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SKIFF_TOKEN")
wrk.body = [[{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"bench-","labels":{"app":"bench"}},"spec":{"containers":[{"name":"main","image":"busybox:1.36","command":["sleep","3600"],"resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}]]

local failures = 0
response = function(status, headers, body)
  if status ~= 201 then
    failures = failures + 1
    if failures < 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
