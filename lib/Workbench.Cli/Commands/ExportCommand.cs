using System.CommandLine;
using Workbench.Notebooks;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench export NOTEBOOK.ipynb --to cs|html|md [--out FILE]</c>: a notebook as a .NET file-based app, standalone HTML or Markdown.</summary>
internal sealed class ExportCommand : CliCommand
{
    public override Command Build()
    {
        var file = new Argument<string>("NOTEBOOK") { Description = "The notebook (.ipynb)." };
        var to = new Option<string>("--to") { Description = "cs (a file-based app: dotnet run FILE.cs), html or md.", Required = true };
        var output = new Option<string?>("--out") { Description = "Output file (default: the notebook's name with the new extension, beside it)." };
        var cmd = new Command("export", "Export a notebook as a .NET 10 file-based app (dotnet run FILE.cs), standalone offline HTML or Markdown.") { file, to, output };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            if (Directory.Exists(path) || !File.Exists(path) || !path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"NOTEBOOK: '{path}' is not an existing notebook (.ipynb).");
            string format = parse.GetValue(to)!;
            string ext = format switch { "cs" => ".cs", "html" => ".html", "md" => ".md", _ => throw new UsageException($"--to must be cs, html or md; got '{format}'.") };
            string outPath = Path.GetFullPath(parse.GetValue(output) ?? Path.ChangeExtension(path, ext));
            Notebook nb;
            // A file that is not a valid nbformat 4 notebook is invalid input (exit 2), named with its JSON path.
            try { nb = Notebook.Load(Inputs.File(path, "NOTEBOOK")); }
            catch (FormatException ex) { throw new UsageException($"{path}: {ex.Message}"); }
            Outputs.File(outPath, "--out");
            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            string text = format switch
            {
                "cs" => Export.ToFileBasedApp(nb, folder, Path.GetDirectoryName(outPath)!, RepositoryRoot(folder)),
                "html" => Runner.ToHtml(nb, Path.GetFileNameWithoutExtension(path)),
                _ => Export.ToMarkdown(nb),
            };
            AtomicFile.WriteAllText(outPath, text);
            Console.Out.WriteLine(outPath);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The repository holding lib/Workbench (upward from the notebook), for the app's #:project lines.</summary>
    private static string RepositoryRoot(string from)
    {
        for (var d = new DirectoryInfo(from); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "lib", "Workbench", "Workbench.csproj"))) return d.FullName;
        throw new UsageException($"Cannot find the Workbench repository (lib/Workbench/Workbench.csproj) above '{from}'; export notebooks from inside a checkout.");
    }
}
