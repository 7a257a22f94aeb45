using System.Diagnostics;
using System.Text.Json.Nodes;
using Workbench.Notebooks.Display;

namespace Workbench.Notebooks;

/// <summary>
/// Renders the Plotly charts of an executed notebook to PNG (<c>workbench run --png DIR</c>; the README's pictures), by
/// drawing each figure with the inlined plotly.js in headless Chromium — offline, no network. Chromium is the one
/// dependency beyond the SDK, and only for this option: found at $WORKBENCH_CHROMIUM, or as chromium, chromium-browser or
/// google-chrome on the PATH.
/// </summary>
public static class ChartImages
{
    /// <summary>The Chromium (or Chrome) executable, or null when none is installed.</summary>
    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("WORKBENCH_CHROMIUM") is { Length: > 0 } env && File.Exists(env)) return env;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    /// <summary>
    /// Writes one PNG per chart output of <paramref name="nb"/> to <paramref name="directory"/>, named NAME-cellNN-K.png (NN: the
    /// code cell's number, K: the chart's position among its outputs). Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Render(Notebook nb, string name, string directory, int width = 1000, int height = 560, string? chromium = null)
    {
        ArgumentNullException.ThrowIfNull(nb);
        chromium ??= FindChromium() ?? throw new InvalidOperationException("--png needs Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        string? plotly = null;
        int codeCell = 0;
        foreach (var cell in nb.Cells)
        {
            if (cell.Type != "code") continue;
            codeCell++;
            int k = 0;
            foreach (var output in cell.Json["outputs"]?.AsArray() ?? [])
            {
                if (output?["data"]?["application/vnd.plotly.v1+json"] is not JsonNode figNode) continue;
                k++;
                var fig = figNode is JsonValue v && v.TryGetValue<string>(out var s) ? s : figNode.ToJsonString();
                plotly ??= PlotlyFormatter.PlotlyJs().Replace("</script>", "<\\/script>");
                var target = Path.GetFullPath(Path.Combine(directory, $"{name}-cell{codeCell:D2}-{k}.png"));
                RenderFigure(chromium, plotly, fig, target, width, height);
                written.Add(target);
            }
        }
        return written;
    }

    /// <summary>
    /// Gives every chart of an executed notebook a static picture (<c>workbench run --update</c>), so the committed chapter
    /// shows its charts where no script runs (GitHub's notebook view, a viewer without plotly.js): the chart's PNG, drawn
    /// from its figure data in headless Chromium, is put inside the chart's element as an <c>&lt;img&gt;</c>, and the
    /// chart's script removes it when plotly.js draws the interactive chart. Returns the number of charts given a picture.
    /// <see cref="OutputCheck"/> compares charts by their data and ignores the picture; <see cref="RemoveStaticPictures"/>
    /// takes them out again.
    /// </summary>
    public static int AddStaticPictures(Notebook nb, int width = 800, int height = 450, string? chromium = null)
    {
        ArgumentNullException.ThrowIfNull(nb);
        chromium ??= FindChromium() ?? throw new InvalidOperationException("Static chart pictures need Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
        string? plotly = null;
        int count = 0;
        foreach (var cell in nb.Cells)
        {
            if (cell.Type != "code") continue;
            foreach (var output in cell.Json["outputs"]?.AsArray() ?? [])
            {
                if (output?["data"] is not JsonObject data || data["application/vnd.plotly.v1+json"] is not JsonNode figNode || data["text/html"] is not JsonNode htmlNode) continue;
                var html = RemoveStaticPictures(Notebook.JoinSource(htmlNode));
                var m = ChartDiv.Match(html);
                if (!m.Success) continue;
                var fig = figNode is JsonValue v && v.TryGetValue<string>(out var s) ? s : figNode.ToJsonString();
                plotly ??= PlotlyFormatter.PlotlyJs().Replace("</script>", "<\\/script>");
                var file = Path.Combine(Path.GetTempPath(), "wb-static-" + Guid.NewGuid().ToString("N") + ".png");
                try
                {
                    RenderFigure(chromium, plotly, fig, file, width, height);
                    var id = m.Groups["id"].Value;
                    var img = $"<img id=\"{id}-static\" class=\"plotly-static\" alt=\"The chart as a picture (interactive where scripts run)\" style=\"max-width:100%\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(file))}\"/>";
                    html = html.Insert(m.Index + m.Length, img);
                    html = html.Replace("function draw(){", $"function draw(){{var s=document.getElementById('{id}-static');if(s)s.remove();", StringComparison.Ordinal);
                    data["text/html"] = Notebook.SourceLines(html);
                    count++;
                }
                finally { File.Delete(file); }
            }
        }
        return count;
    }

    /// <summary>The chart HTML without the static picture <see cref="AddStaticPictures"/> put in (unchanged when it has none).</summary>
    public static string RemoveStaticPictures(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        html = StaticImg.Replace(html, "");
        return StaticRemoval.Replace(html, "function draw(){");
    }

    private static readonly System.Text.RegularExpressions.Regex ChartDiv = new("<div id=\"(?<id>plotly-[0-9a-f]+)\" class=\"plotly-chart\"[^>]*>");
    private static readonly System.Text.RegularExpressions.Regex StaticImg = new("<img id=\"plotly-[0-9a-f]+-static\" class=\"plotly-static\"[^>]*/>");
    private static readonly System.Text.RegularExpressions.Regex StaticRemoval = new(@"function draw\(\)\{var s=document\.getElementById\('plotly-[0-9a-f]+-static'\);if\(s\)s\.remove\(\);");

    /// <summary>Draws one Plotly figure (its JSON) to a PNG file of the given size, with headless Chromium, offline.</summary>
    public static void RenderFigureTo(string figureJson, string target, int width = 1000, int height = 560, string? chromium = null)
    {
        ArgumentNullException.ThrowIfNull(figureJson);
        chromium ??= FindChromium() ?? throw new InvalidOperationException("Drawing a chart needs Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        RenderFigure(chromium, PlotlyFormatter.PlotlyJs().Replace("</script>", "<\\/script>"), figureJson, Path.GetFullPath(target), width, height);
    }

    /// <summary>A screenshot of a local HTML page (as a browser window of the given size shows it), with headless Chromium, offline (<c>workbench site --screenshot</c>, the README's page pictures).</summary>
    public static void Screenshot(string htmlFile, string target, int width = 1280, int height = 900, string? chromium = null)
    {
        ArgumentNullException.ThrowIfNull(htmlFile);
        chromium ??= FindChromium() ?? throw new InvalidOperationException("A screenshot needs Chromium (apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable).");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        // A page taller than the window was sometimes captured before its lower tiles were painted (a white band at the
        // bottom, on a busy machine); running every compositor stage before the capture paints the whole window.
        Shoot(chromium, new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri, Path.GetFullPath(target), width, height, "--run-all-compositor-stages-before-draw");
    }

    private static void RenderFigure(string chromium, string plotlyJs, string figureJson, string target, int width, int height)
    {
        var work = Path.Combine(Path.GetTempPath(), "wb-png-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var page = Path.Combine(work, "chart.html");
            File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>html,body{margin:0;background:#fff}</style><script>" + plotlyJs +
                $"</script></head><body><div id=\"c\" style=\"width:{width}px;height:{height}px\"></div><script>var fig={figureJson.Replace("</", "<\\/")};" +
                "Plotly.newPlot('c',fig.data,Object.assign({},fig.layout,{width:" + width + ",height:" + height + "}),{staticPlot:true});</script></body></html>");
            Shoot(chromium, new Uri(page).AbsoluteUri, target, width, height);
        }
        finally { try { Directory.Delete(work, true); } catch (IOException) { } }
    }

    /// <summary>Loads <paramref name="url"/> in headless Chromium (a fresh profile, no network services) and writes its screenshot to <paramref name="target"/> atomically.</summary>
    private static void Shoot(string chromium, string url, string target, int width, int height, params string[] extra)
    {
        var work = Path.Combine(Path.GetTempPath(), "wb-shot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var png = Path.Combine(work, "shot.png");
            var psi = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", .. extra, $"--user-data-dir={Path.Combine(work, "profile")}", $"--window-size={width},{height}",
                "--virtual-time-budget=5000", $"--screenshot={png}", url])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("Chromium did not finish rendering within 60 s."); }
            if (!File.Exists(png)) throw new InvalidOperationException($"Chromium wrote no screenshot (exit {p.ExitCode}): {err.Result}");
            var partial = target + ".partial";
            File.Copy(png, partial, overwrite: true);
            File.Move(partial, target, overwrite: true); // a reader never sees half a picture
        }
        finally { try { Directory.Delete(work, true); } catch (IOException) { } }
    }
}
