-- Render many page sources with one pandoc process:
--   pandoc lua batch.lua manifest.json
-- manifest: {"template": path, "jobs": [{"source": path, "output": path, "meta": yaml}]}
-- "meta" is YAML front matter for the page template (root, nav, breadcrumbs, ...), read as
-- Markdown exactly as --metadata-file would read it.
local function slurp(path)
  local handle = assert(io.open(path, "r"))
  local text = handle:read("a")
  handle:close()
  return text
end

local manifest = pandoc.json.decode(slurp(arg[1]), false)
-- partials (metadata.html, site-header.html, ...) are found beside the template
local template = pandoc.template.compile(slurp(manifest.template), manifest.template)
for _, job in ipairs(manifest.jobs) do
  local doc = pandoc.read(slurp(job.source), "markdown")
  local extra = pandoc.read("---\n" .. job.meta .. "\n---\n", "markdown").meta
  for key, value in pairs(extra) do
    doc.meta[key] = value
  end
  local html = pandoc.write(doc, "html5", {template = template, wrap_text = "none"})
  local out = assert(io.open(job.output, "w"))
  out:write(html)
  out:close()
end
