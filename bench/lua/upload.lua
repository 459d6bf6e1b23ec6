-- POST /api/v1/citizen/documents: a 5 MB PDF (just under the 5 MiB limit) as
-- multipart/form-data, with the bearer token from $BENCH_TOKEN.
local boundary = "portal-bench-7d3f9a"
local head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
local tail = "trailer\n<< /Root 1 0 R >>\n%%EOF\n"
local padding = string.rep("% padding line\n", math.floor((5 * 1000 * 1000 - #head - #tail) / 15))
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n"
    .. "Content-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n"
    .. "--" .. boundary .. "\r\n"
    .. "Content-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n"
    .. "Content-Type: application/pdf\r\n\r\n"
    .. head .. padding .. tail .. "\r\n"
    .. "--" .. boundary .. "--\r\n"
