-- wrk script: POST a batch of the 44 listings of examples/catalog.csv to /v1/check.
-- The body is built once from the CSV, so the request matches what `scan` sees.
wrk.method = "POST"
wrk.path = "/v1/check"
wrk.headers["Content-Type"] = "application/json"

local function split_csv(line)
  local fields, field, quoted, i = {}, "", false, 1
  while i <= #line do
    local c = line:sub(i, i)
    if quoted then
      if c == '"' and line:sub(i + 1, i + 1) == '"' then field = field .. '"'; i = i + 1
      elseif c == '"' then quoted = false
      else field = field .. c end
    elseif c == '"' then quoted = true
    elseif c == "," then table.insert(fields, field); field = ""
    else field = field .. c end
    i = i + 1
  end
  table.insert(fields, field)
  return fields
end

local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local items, first = {}, true
for line in io.lines(os.getenv("CATALOG") or "examples/catalog.csv") do
  if first then first = false else
    local f = split_csv(line)
    table.insert(items, string.format('{"id":%s,"title":%s,"description":%s,"image_url":%s}',
      json_string(f[1]), json_string(f[2]), json_string(f[3]), json_string(f[6])))
  end
end
wrk.body = '{"listings":[' .. table.concat(items, ",") .. ']}'
