using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Workbench.Cli.Site;
using Workbench.Experiments;
using Workbench.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench site --out DIR [--notebooks DIR] [--cards DIR] [--screenshot FILE.png]</c>: the static offline website of the
/// executed curriculum (see <see cref="SiteBuilder"/>), one line per page on standard error and a summary on standard output.
/// </summary>
internal sealed class SiteCommand : CliCommand
{
    public override Command Build()
    {
        var output = new Option<string>("--out") { Description = "Folder for the site (index.html, chapters/, workshop/, assets/).", Required = true };
        var notebooks = new Option<string?>("--notebooks") { Description = "Folder of executed chapters (*.ipynb; default: the repository's notebooks/ folder)." };
        var cards = new Option<string?>("--cards") { Description = "Folder of workshop cards (default: workshop/cards beside the notebooks, else the repository's notebooks/workshop/cards)." };
        var screenshot = new Option<string?>("--screenshot") { Description = "Also write a 1280×900 PNG screenshot of the start page here (needs Chromium)." };
        var labVoters = new Option<int?>("--lab-voters") { Description = "Voters per electorate in the regulation lab (default: the classroom scenario's)." };
        var labReplicates = new Option<int>("--lab-replicates") { Description = "Replicates per cell of the regulation lab's grid (default 2).", DefaultValueFactory = _ => 2 };
        var cmd = new Command("site", "Build a static offline website of the executed chapters (as Jupyter Book publishes curricula): a start page with the chapter table, one page per chapter with its outputs and charts, the regulation lab, workshop agendas, the parameter reference and a glossary; works from file:// with no network.")
        {
            output, notebooks, cards, screenshot, labVoters, labReplicates,
        };
        cmd.SetAction(parse =>
        {
            var sw = Stopwatch.StartNew();
            int r = parse.GetValue(labReplicates);
            if (r is < 1 or > 100) throw new UsageException($"--lab-replicates must be between 1 and 100; got {r}.");
            int? v = parse.GetValue(labVoters);
            if (v is < 1000 or > 1_000_000) throw new UsageException($"--lab-voters must be between 1000 and 1000000; got {v}.");
            string? s = parse.GetValue(screenshot);
            if (s is not null && !s.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--screenshot: '{s}' must name a .png file.");
            string nbDir = NotebooksFolder(parse.GetValue(notebooks));
            var siteCards = LoadCards(parse.GetValue(cards), nbDir);
            var chapters = LoadChapters(nbDir);
            string? shot = null;
            if (s is not null)
            {
                if (ChartImages.FindChromium() is null) throw new UsageException("--screenshot needs Chromium: apt-get install chromium, or set WORKBENCH_CHROMIUM to a Chrome/Chromium executable.");
                shot = Outputs.File(s, "--screenshot");
            }
            string dir = Outputs.Folder(parse.GetValue(output)!, "--out");
            // Warnings come after every input was checked, so that an error is the only line a refused run prints.
            foreach (var ch in chapters.Where(c => !NotebookHtml.HasOutputs(c.Notebook)))
                Console.Error.WriteLine($"warning: {ch.Stem}.ipynb has no outputs; execute it first (workbench run) to show its results.");
            if (siteCards.Count == 0) Console.Error.WriteLine("warning: no workshop cards found (notebooks/workshop/cards); the site has no workshop pages.");
            var lab = new SiteLab(Scenario.Builtin("classroom"), SiteLab.DefaultGrid, v, r, Environment.ProcessorCount);
            var builder = new SiteBuilder(dir, Console.Error);
            builder.Build(chapters, siteCards, lab, Glossary());
            if (shot is not null)
            {
                ChartImages.Screenshot(Path.Combine(dir, "index.html"), shot, 1280, 900);
                Console.Error.WriteLine($"screenshot: {shot}");
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {builder.Pages.Count} pages ({chapters.Count} chapters, {builder.ChapterCharts} charts, {siteCards.Count} workshop cards) to {dir} in {sw.Elapsed.TotalSeconds:F1} s; open {Path.Combine(dir, "index.html")} in any browser, offline."));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The chapters folder: the one named, else notebooks/ in the repository around the current folder (or ./notebooks).</summary>
    private static string NotebooksFolder(string? given)
    {
        if (given is null && RepositoryRoot() is null && !Directory.Exists("notebooks"))
            throw new UsageException("--notebooks: not given, and there is no Workbench checkout (Workbench.sln beside notebooks/) here or above; name the folder of executed chapters.");
        string path = given ?? Path.Combine(RepositoryRoot() ?? ".", "notebooks");
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException("--notebooks: the folder name must not be empty.");
        if (File.Exists(path)) throw new UsageException($"--notebooks: '{path}' is a file; a folder of executed chapters (*.ipynb) is expected.");
        if (!Directory.Exists(path)) throw new UsageException($"--notebooks: the folder '{path}' does not exist.");
        return Path.GetFullPath(path);
    }

    /// <summary>The folder holding Workbench.sln and notebooks/, upward from the current folder; null outside a checkout.</summary>
    private static string? RepositoryRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Workbench.sln")) && Directory.Exists(Path.Combine(d.FullName, "notebooks"))) return d.FullName;
        return null;
    }

    /// <summary>Every *.ipynb directly in <paramref name="dir"/>, in file-name order; a file that is not a notebook is a usage error naming it.</summary>
    private static List<SiteChapter> LoadChapters(string dir)
    {
        var files = Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new UsageException($"--notebooks: '{dir}' holds no notebooks (*.ipynb).");
        var chapters = new List<SiteChapter>();
        foreach (var f in files)
        {
            Notebook nb;
            try { nb = Notebook.Load(f); }
            catch (FormatException ex) { throw new UsageException($"--notebooks: {Path.GetFileName(f)}: {ex.Message}"); }
            chapters.Add(new SiteChapter(Path.GetFileNameWithoutExtension(f), nb, NotebookHtml.Describe(nb, f)));
        }
        return chapters;
    }

    /// <summary>The workshop cards (every *.json but questions.json): from --cards, else workshop/cards beside the notebooks, else the repository's; none when there is no such folder.</summary>
    private static List<SiteCard> LoadCards(string? given, string notebooksDir)
    {
        string? dir;
        if (given is not null)
        {
            if (File.Exists(given)) throw new UsageException($"--cards: '{given}' is a file; a folder of workshop cards is expected.");
            if (!Directory.Exists(given)) throw new UsageException($"--cards: the folder '{given}' does not exist.");
            dir = given;
        }
        else
        {
            dir = new[] { Path.Combine(notebooksDir, "workshop", "cards"), RepositoryRoot() is string root ? Path.Combine(root, "notebooks", "workshop", "cards") : null }
                .FirstOrDefault(d => d is not null && Directory.Exists(d));
            if (dir is null) return [];
        }
        var files = Directory.GetFiles(dir, "*.json").Where(f => Path.GetFileName(f) != "questions.json").Order(StringComparer.Ordinal).ToArray();
        if (given is not null && files.Length == 0) throw new UsageException($"--cards: '{given}' holds no workshop cards (*.json besides questions.json).");
        return [.. files.Select(f => new SiteCard(f, WorkshopCard.Load(f)))];
    }

    /// <summary>docs/glossary.md, embedded in the tool so that the site builds outside a checkout too.</summary>
    private static string Glossary()
    {
        using var s = typeof(SiteCommand).Assembly.GetManifestResourceStream("Workbench.Cli.Glossary.md")
            ?? throw new InvalidOperationException("The glossary (docs/glossary.md) is not embedded in this build of the tool.");
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }
}
