-- wrk script: POST one typical listing to /v1/check.
wrk.method = "POST"
wrk.path = "/v1/check"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"P1002","title":"Watch strap for Rolex Submariner 20mm, brushed stainless steel","description":"Solid link bracelet with curved end links. Fits 20mm lugs, tools included.","image_url":"https://cdn.example.com/img/rolex-submariner-1.jpg"}'
