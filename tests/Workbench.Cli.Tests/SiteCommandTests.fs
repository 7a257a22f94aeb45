/// `workbench site`: the static offline website of the executed chapters — its pages, links, offline assets and
/// determinism, its input validation, and (in headless Chromium) that every page loads without errors and draws every chart.
module Workbench.Cli.Tests.SiteCommandTests

open System
open System.IO
open System.Net
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Expecto
open Workbench.Cli.Tests

/// The chapters the site is built from: the repository's executed notebooks.
let private notebooks = Path.Combine(Cli.repoRoot, "notebooks")

let private chapterFiles () = Directory.GetFiles(notebooks, "*.ipynb") |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b))

/// A small, fast regulation lab (the grid is the site's; fewer voters and one replicate per cell).
let private labArgs = [ "--lab-voters"; "2000"; "--lab-replicates"; "1" ]

/// Builds the site into a fresh folder, runs f on it, and deletes it.
let private withSite (extra: string list) (f: string -> string -> unit) =
    Cli.withDir (fun parent ->
        let dir = Path.Combine(parent, "site")
        let code, out, err = Cli.run ([ "site"; "--out"; dir; "--notebooks"; notebooks ] @ labArgs @ extra)
        Expect.equal code 0 (sprintf "site builds:\n%s" err)
        f dir out)

let private pages (dir: string) =
    Directory.GetFiles(dir, "*.html", SearchOption.AllDirectories) |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b))

/// Every tag's href and src attributes: (tag name, attribute, decoded value). Script bodies are dropped first, so that text
/// inside inline scripts (figure JSON, the lab's code) is not mistaken for markup.
let private references (html: string) =
    let stripped = Regex.Replace(html, @"(<script\b[^>]*>)[\s\S]*?</script>", "$1</script>", RegexOptions.IgnoreCase)
    [ for tag in Regex.Matches(stripped, @"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>") do
        for a in Regex.Matches(tag.Groups.[2].Value, @"\s(href|src)\s*=\s*(""([^""]*)""|'([^']*)')", RegexOptions.IgnoreCase) do
            let v = if a.Groups.[3].Success then a.Groups.[3].Value else a.Groups.[4].Value
            yield tag.Groups.[1].Value.ToLowerInvariant(), a.Groups.[1].Value.ToLowerInvariant(), WebUtility.HtmlDecode v ]

let private ids (html: string) =
    Regex.Matches(html, @"\sid=""([^""]+)""") |> Seq.map (fun m -> WebUtility.HtmlDecode m.Groups.[1].Value) |> Set.ofSeq

/// The Plotly outputs of a notebook, counted from its JSON (independently of the site's renderer).
let private plotlyOutputs (file: string) =
    let nb = JsonNode.Parse(File.ReadAllText file)
    [ for c in nb.["cells"].AsArray() do
        if c.["cell_type"].GetValue<string>() = "code" then
            for o in c.["outputs"].AsArray() do
                if not (isNull o.["data"]) && not (isNull o.["data"].["application/vnd.plotly.v1+json"]) then yield 1 ]
    |> List.length

/// The pixels of an 8-bit RGB or RGBA PNG (non-interlaced, as Chromium writes them): width, height, bytes per pixel and the
/// unfiltered rows.
let private decodePng (bytes: byte[]) =
    let be (i: int) = (int bytes.[i] <<< 24) ||| (int bytes.[i + 1] <<< 16) ||| (int bytes.[i + 2] <<< 8) ||| int bytes.[i + 3]
    let width, height, colorType = be 16, be 20, int bytes.[25]
    let bpp = match colorType with | 2 -> 3 | 6 -> 4 | t -> failwithf "PNG colour type %d" t
    let idat = new MemoryStream()
    let mutable i = 8
    while i < bytes.Length do
        let len = be i
        if Text.Encoding.ASCII.GetString(bytes, i + 4, 4) = "IDAT" then idat.Write(bytes, i + 8, len)
        i <- i + 12 + len
    idat.Position <- 0L
    let raw = new MemoryStream()
    (new Compression.ZLibStream(idat, Compression.CompressionMode.Decompress)).CopyTo raw
    let data = raw.ToArray()
    let stride = width * bpp
    let rows = Array.init height (fun _ -> Array.zeroCreate<byte> stride)
    for y in 0 .. height - 1 do
        let filter = data.[y * (stride + 1)]
        let line = rows.[y]
        let prev = if y > 0 then rows.[y - 1] else Array.zeroCreate stride
        for x in 0 .. stride - 1 do
            let v = int data.[y * (stride + 1) + 1 + x]
            let a = if x >= bpp then int line.[x - bpp] else 0
            let b = int prev.[x]
            let c = if x >= bpp then int prev.[x - bpp] else 0
            let paeth () =
                let p = a + b - c
                let pa, pb, pc = abs (p - a), abs (p - b), abs (p - c)
                if pa <= pb && pa <= pc then a elif pb <= pc then b else c
            let predicted = match filter with | 0uy -> 0 | 1uy -> a | 2uy -> b | 3uy -> (a + b) / 2 | 4uy -> paeth () | f -> failwithf "PNG filter %d" f
            line.[x] <- byte ((v + predicted) &&& 0xFF)
    width, height, bpp, rows

[<Tests>]
let tests =
    testSequenced <| testList "Cli.site" [
        test "NotebookHtml: repeated headings get unique anchors, links go through the rewriter (a dropped link keeps its text), and a chapter's number, title and question come from its first cell" {
            let ids = Workbench.Notebooks.PageIds()
            let headings = Collections.Generic.List<Workbench.Notebooks.PageHeading>()
            let rewrite = Workbench.Notebooks.NotebookHtml.LinkRewriter(fun url _ -> if url.EndsWith ".ipynb" then url.Replace(".ipynb", ".html") else null)
            let html = Workbench.Notebooks.NotebookHtml.Markdown("# 02 · Votes to seats\n## Exercises\nSee [chapter 03](03-data.ipynb) and [the model](../MODEL.md).\n## Exercises\n", ids, headings, rewrite)
            Expect.equal [ for h in headings -> h.Level, h.Id ] [ 1, "02-votes-to-seats"; 2, "exercises"; 2, "exercises-2" ] "slugs, the repeat numbered"
            Expect.stringContains html "<h2 id=\"exercises-2\">Exercises</h2>" "the anchor is on the heading"
            Expect.stringContains html "<a href=\"03-data.html\">chapter 03</a>" "a chapter link is rewritten"
            Expect.stringContains html "and the model." "a dropped link keeps its text"
            Expect.isFalse (html.Contains "MODEL.md") "and loses its target"
            let nb = Workbench.Notebooks.Notebook.Create()
            nb.AddCell("markdown", "# 07 · Filter bubbles\n\n**Question:** do *homophilous* networks\nfragment opinion?\n\nMore.") |> ignore
            let info = Workbench.Notebooks.NotebookHtml.Describe(nb, "07-filter-bubbles.ipynb")
            Expect.equal (info.Number, info.Title, info.QuestionHtml) ("07", "Filter bubbles", "do <em>homophilous</em> networks fragment opinion?") "from the first cell"
            let bare = Workbench.Notebooks.Notebook.Create()
            bare.AddCell("markdown", "Some text") |> ignore
            let info = Workbench.Notebooks.NotebookHtml.Describe(bare, "12-extra.ipynb")
            Expect.equal (info.Number, info.Title, info.QuestionHtml) ("12", "12-extra", "") "without a heading: the file name's number and name"
        }

        test "the site has one page per chapter, the start page links every chapter, every internal link resolves, nothing loads from the network, and two builds are byte-identical" {
            withSite [] (fun dir out ->
                let chapters = chapterFiles ()
                Expect.isNonEmpty chapters "the repository has chapters"
                let expected = chapters |> Array.map (fun f -> Path.GetFileNameWithoutExtension f + ".html")
                let written = Directory.GetFiles(Path.Combine(dir, "chapters"), "*.html") |> Array.map Path.GetFileName |> Array.sort
                Expect.equal written (Array.sort expected) "one page per chapter, named after its notebook"
                let all = pages dir
                Expect.stringContains out (sprintf "Wrote %d pages (%d chapters" all.Length chapters.Length) "the summary line counts the pages"
                for p in [ "index.html"; "lab.html"; "parameters.html"; "glossary.html" ] do
                    Expect.isTrue (File.Exists(Path.Combine(dir, p))) (sprintf "%s is written" p)
                Expect.isNonEmpty (Directory.GetFiles(Path.Combine(dir, "workshop"), "*.html")) "a page per workshop card"
                // The start page links to every chapter, the lab, the workshops, the parameters and the glossary.
                let index = File.ReadAllText(Path.Combine(dir, "index.html"))
                let indexLinks = references index |> List.map (fun (_, _, v) -> v) |> Set.ofList
                for e in expected do Expect.contains indexLinks ("chapters/" + e) (sprintf "the start page links %s" e)
                for l in [ "lab.html"; "parameters.html"; "glossary.html" ] do Expect.contains indexLinks l (sprintf "the start page links %s" l)
                Expect.isTrue (indexLinks |> Set.exists (fun l -> l.StartsWith "workshop/")) "the start page links the workshop pages"
                // The chapter table carries each chapter's question, taken from the notebook.
                Expect.stringContains index "how much do the rules that turn votes into seats change who wins?" "chapter 02's question"
                // plotly.js is written once and referenced relatively; no page inlines it.
                Expect.equal (Directory.GetFiles(dir, "*.js", SearchOption.AllDirectories) |> Array.map (fun f -> Path.GetRelativePath(dir, f))) [| Path.Combine("assets", "plotly.min.js") |] "one script file"
                Expect.equal (Directory.GetFiles(dir, "*.css", SearchOption.AllDirectories) |> Array.map (fun f -> Path.GetRelativePath(dir, f))) [| Path.Combine("assets", "site.css") |] "one stylesheet"
                let plotlyBanner = File.ReadAllText(Path.Combine(dir, "assets", "plotly.min.js")).Substring(0, 40)
                let mutable checkedLinks = 0
                for page in all do
                    let html = File.ReadAllText page
                    let name = Path.GetRelativePath(dir, page)
                    Expect.isFalse (html.Contains plotlyBanner) (sprintf "%s does not inline plotly.js" name)
                    for tag, attr, value in references html do
                        let isWeb = value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith "//"
                        if isWeb then
                            // Citations may link to the web; nothing the page needs (scripts, styles, images, frames) may come from it.
                            Expect.equal (tag, attr) ("a", "href") (sprintf "%s: <%s %s=\"%s\"> loads from the network" name tag attr value)
                        elif value.StartsWith "data:" then Expect.equal tag "img" (sprintf "%s: data URI only for images" name)
                        elif value.StartsWith "mailto:" then ()
                        else
                            Expect.isFalse (value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)) (sprintf "%s: no javascript: links" name)
                            let path, fragment = match value.IndexOf '#' with | -1 -> value, "" | i -> value.Substring(0, i), value.Substring(i + 1)
                            let target = if path = "" then page else Path.GetFullPath(Path.Combine(Path.GetDirectoryName page, path))
                            Expect.isTrue (target.StartsWith(Path.GetFullPath dir + string Path.DirectorySeparatorChar)) (sprintf "%s: %s stays inside the site" name value)
                            Expect.isTrue (File.Exists target) (sprintf "%s: <%s %s=\"%s\"> resolves to a file of the site" name tag attr value)
                            if fragment <> "" then
                                Expect.contains (ids (File.ReadAllText target)) fragment (sprintf "%s: the anchor #%s exists in %s" name fragment (Path.GetRelativePath(dir, target)))
                            checkedLinks <- checkedLinks + 1
                Expect.isGreaterThan checkedLinks (all.Length * 5) "the pages were checked link by link"
                // Each chapter page has a table of contents whose entries are anchors of its headings, and previous/next navigation.
                let ch = File.ReadAllText(Path.Combine(dir, "chapters", expected.[1]))
                Expect.stringContains ch "<nav class=\"toc\"" "a table of contents"
                Expect.stringContains ch "rel=\"prev\"" "a link to the previous chapter"
                Expect.stringContains ch "rel=\"next\"" "a link to the next chapter"
                // The same inputs give the same bytes.
                Cli.withDir (fun parent ->
                    let again = Path.Combine(parent, "again")
                    let code, _, err = Cli.run ([ "site"; "--out"; again; "--notebooks"; notebooks ] @ labArgs)
                    Expect.equal code 0 err
                    let files d = Directory.GetFiles(d, "*", SearchOption.AllDirectories) |> Array.map (fun f -> Path.GetRelativePath(d, f)) |> Array.sort
                    Expect.equal (files again) (files dir) "the same files"
                    for f in files dir do
                        Expect.isTrue (File.ReadAllBytes(Path.Combine(dir, f)) = File.ReadAllBytes(Path.Combine(again, f))) (sprintf "%s is byte-identical across builds" f)))
        }

        test "site refuses a missing or empty notebooks folder, a notebooks file, an --out that is a file and a non-PNG screenshot (exit 2, one line naming the flag)" {
            Cli.withDir (fun dir ->
                let out = Path.Combine(dir, "site")
                let check (args: string list) (flag: string) (text: string) =
                    let code, _, err = Cli.run ("site" :: args)
                    Expect.equal code 2 (sprintf "%A: usage error\n%s" args err)
                    Expect.stringStarts err ("workbench: " + flag) (sprintf "%A: names %s" args flag)
                    Expect.stringContains err text (sprintf "%A: says what is wrong" args)
                    Expect.equal (err.TrimEnd().Split('\n').Length) 1 (sprintf "%A: one line\n%s" args err)
                    Cli.noTrace err (sprintf "%A" args)
                    Expect.isFalse (Directory.Exists out) (sprintf "%A: no half-built site is left" args)
                check [ "--out"; out; "--notebooks"; Path.Combine(dir, "missing") ] "--notebooks" "does not exist"
                let empty = Path.Combine(dir, "empty")
                Directory.CreateDirectory empty |> ignore
                File.WriteAllText(Path.Combine(empty, "notes.md"), "not a notebook")
                check [ "--out"; out; "--notebooks"; empty ] "--notebooks" "holds no notebooks (*.ipynb)"
                let file = Path.Combine(dir, "file.txt")
                File.WriteAllText(file, "x")
                check [ "--out"; out; "--notebooks"; file ] "--notebooks" "is a file"
                let broken = Path.Combine(dir, "broken")
                Directory.CreateDirectory broken |> ignore
                File.WriteAllText(Path.Combine(broken, "00-x.ipynb"), "{\"nbformat\": 4}")
                check [ "--out"; out; "--notebooks"; broken ] "--notebooks" "00-x.ipynb"
                check [ "--out"; out; "--notebooks"; notebooks; "--screenshot"; Path.Combine(dir, "start.jpg") ] "--screenshot" "must name a .png file"
                check [ "--out"; out; "--notebooks"; notebooks; "--cards"; Path.Combine(dir, "no-cards") ] "--cards" "does not exist"
                check [ "--out"; out; "--notebooks"; notebooks; "--cards"; empty ] "--cards" "holds no workshop cards"
                check [ "--out"; out; "--notebooks"; notebooks; "--lab-replicates"; "0" ] "--lab-replicates" "between 1 and 100"
                // An --out that names a file: refused, and the file is left as it was.
                let code, _, err = Cli.run ([ "site"; "--out"; file; "--notebooks"; notebooks ] @ labArgs)
                Expect.equal code 2 err
                Expect.stringStarts err "workbench: --out" "names --out"
                Expect.stringContains err "is a file" "says why"
                Expect.equal (File.ReadAllText file) "x" "the file is untouched")
        }

        test "every page loads from file:// in headless Chromium without errors, and every chart of the chapters is drawn as SVG" {
            withSite [] (fun dir _ ->
                let sourceCharts = chapterFiles () |> Array.sumBy plotlyOutputs
                Expect.isGreaterThan sourceCharts 0 "the executed chapters have Plotly outputs"
                // Errors are collected by a small script injected at the top of each page's <head> in this test's copy of the site:
                // it records window errors (uncaught exceptions, and resources that fail to load, caught in the capture phase),
                // unhandled promise rejections and console.error calls into the data-errors attribute of <html>, which
                // --dump-dom then shows. It writes "[]" at once, so a page where the collector did not run fails too. Chromium's
                // own log (console messages at --v=0) is checked as well.
                let collector =
                    "<script>(function(){var e=[];function put(){document.documentElement.setAttribute('data-errors',JSON.stringify(e));}" +
                    "window.addEventListener('error',function(ev){var t=ev.target;e.push(ev.message||('failed to load '+((t&&(t.src||t.href))||'a resource')));put();},true);" +
                    "window.addEventListener('unhandledrejection',function(ev){e.push('unhandled rejection: '+ev.reason);put();});" +
                    "var ce=console.error;console.error=function(){e.push(Array.prototype.join.call(arguments,' '));put();return ce.apply(console,arguments);};put();})();</script>"
                let mutable drawn = 0
                for page in pages dir do
                    let name = Path.GetRelativePath(dir, page)
                    let html = File.ReadAllText page
                    let at = html.IndexOf("<head>", StringComparison.Ordinal)
                    Expect.isGreaterThanOrEqual at 0 (sprintf "%s has a <head>" name)
                    File.WriteAllText(page, html.Insert(at + 6, collector))
                    let dom, log = Workbench.Notebooks.Tests.Tools.chromiumDump (Uri(page).AbsoluteUri) (Some "1280,900") 10000
                    let m = Regex.Match(dom, "<html[^>]*\sdata-errors=\"([^\"]*)\"")
                    Expect.isTrue m.Success (sprintf "%s: the error collector ran; log:\n%s" name log)
                    Expect.equal (WebUtility.HtmlDecode m.Groups.[1].Value) "[]" (sprintf "%s: no errors" name)
                    let consoleErrors = log.Split('\n') |> Array.filter (fun l -> l.Contains "CONSOLE" && (l.Contains "ERROR" || l.Contains "Uncaught"))
                    Expect.isEmpty consoleErrors (sprintf "%s: no console errors" name)
                    // Each chart container holds a drawn SVG (plotly's <svg class="main-svg">) before the next container begins.
                    let starts = Regex.Matches(dom, "<div id=\"plotly-[0-9a-f-]+\" class=\"plotly-chart") |> Seq.map (fun m -> m.Index) |> List.ofSeq
                    let ends = match starts with | [] -> [] | _ :: rest -> rest @ [ dom.Length ]
                    for s, e in List.zip starts ends do
                        let segment = dom.Substring(s, e - s)
                        Expect.stringContains segment "<svg class=\"main-svg\"" (sprintf "%s: the chart at %d is drawn" name s)
                    if name.StartsWith "chapters" then drawn <- drawn + starts.Length
                    if name = "lab.html" then
                        // The lab's three chart divs, in page order, each up to the next (the last up to the self-test block).
                        let marks = [ "seats"; "precision"; "turnout"; "selftest" ] |> List.map (fun id -> id, dom.IndexOf(sprintf "id=\"%s\"" id))
                        for (id, s), (_, e) in List.pairwise marks do
                            Expect.isTrue (s >= 0 && e > s) (sprintf "the lab's %s chart is on the page" id)
                            Expect.stringContains (dom.Substring(s, e - s)) "<svg class=\"main-svg\"" (sprintf "the lab's %s chart is drawn" id)
                Expect.equal drawn sourceCharts "every Plotly output of the chapters is drawn on its page")
        }

        test "site --screenshot writes a 1280×900 PNG of the start page" {
            if isNull (Workbench.Notebooks.ChartImages.FindChromium()) then
                Workbench.Notebooks.Tests.Repo.requireTool "Chromium is not installed: apt-get install -y chromium (.ci/run installs it)"
            Cli.withDir (fun dir ->
                let shot = Path.Combine(dir, "start.png")
                let code, _, err = Cli.run ([ "site"; "--out"; Path.Combine(dir, "site"); "--notebooks"; notebooks; "--screenshot"; shot ] @ labArgs)
                Expect.equal code 0 err
                let bytes = File.ReadAllBytes shot
                Expect.isGreaterThan bytes.Length 10_000 "a picture, not an empty file"
                Expect.equal bytes.[0..7] [| 0x89uy; 0x50uy; 0x4Euy; 0x47uy; 0x0Duy; 0x0Auy; 0x1Auy; 0x0Auy |] "the PNG signature"
                Expect.equal (Text.Encoding.ASCII.GetString(bytes, 12, 4)) "IHDR" "the PNG header chunk"
                let be (i: int) = (int bytes.[i] <<< 24) ||| (int bytes.[i + 1] <<< 16) ||| (int bytes.[i + 2] <<< 8) ||| int bytes.[i + 3]
                Expect.equal (be 16, be 20) (1280, 900) "1280×900 pixels"
                // The start page is taller than the window, so the bottom of the picture shows content (the chapter table), not
                // the unpainted white band Chromium left on a busy machine when it captured before painting every tile.
                let width, height, bpp, rows = decodePng bytes
                let inked y = Seq.exists (fun x -> rows.[y].[x * bpp] < 200uy) (seq { 0 .. width - 1 })
                Expect.isTrue (Seq.exists inked (seq { height - 60 .. height - 1 })) "the bottom of the screenshot is painted")
        }
    ]
