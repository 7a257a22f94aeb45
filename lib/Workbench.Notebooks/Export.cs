using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Notebooks;

/// <summary>
/// Exports a notebook: to a .NET 10 file-based app (<c>dotnet run FILE.cs</c>), to standalone HTML (the
/// runner's renderer) or to Markdown.
/// <para>The app: <c>#:package</c> for each <c>#r "nuget: …"</c>; <c>#:project</c> for the Workbench library
/// and the notebook engine (which formats displayed values exactly as notebooks show them as text); the other
/// <c>#r</c> dlls beside the library are its dependencies and come with the project reference; 
/// <c>#:property PublishAot=false</c>. Using directives are hoisted, type declarations move after the
/// statements, markdown cells become comments, a cell's trailing expression becomes <c>display(…)</c>, and
/// <c>display</c> prints the value's text/plain rendering.</para>
/// </summary>
public static class Export
{
    private static readonly Regex NuGet = new(@"^\s*#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(,\s*(?<version>[^""\s]+))?\s*""\s*$", RegexOptions.Compiled);
    private static readonly Regex Ref = new(@"^\s*#r\s+""(?<path>[^""]+)""\s*$", RegexOptions.Compiled);
    private static readonly Regex Directive = new(@"^\s*#(!|i\s)", RegexOptions.Compiled);

    /// <summary>The file-based app for <paramref name="nb"/>. <paramref name="repositoryRoot"/> locates lib/ (relative #:project paths are computed from <paramref name="outputFolder"/>).</summary>
    public static string ToFileBasedApp(Notebook nb, string notebookFolder, string outputFolder, string repositoryRoot)
    {
        var header = new List<string>();
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var statements = new StringBuilder();
        var types = new StringBuilder();
        string Rel(string path) => Path.GetRelativePath(outputFolder, path).Replace('\\', '/');
        header.Add("#:property PublishAot=false");
        header.Add($"#:project {Rel(Path.Combine(repositoryRoot, "lib", "Workbench.Notebooks", "Workbench.Notebooks.csproj"))}");
        int cellNo = 0;
        foreach (var cell in nb.Cells)
        {
            cellNo++;
            if (cell.Type == "markdown" || cell.Language == "markdown")
            {
                foreach (var line in cell.Source.Replace("\r\n", "\n").Split('\n')) statements.Append("// ").Append(line).Append('\n');
                statements.Append('\n');
                continue;
            }
            if (cell.Type != "code") continue;
            var code = new StringBuilder();
            foreach (var line in cell.Source.Replace("\r\n", "\n").Split('\n'))
            {
                var n = NuGet.Match(line);
                if (n.Success) { header.Add($"#:package {n.Groups["name"].Value}{(n.Groups["version"].Success ? "@" + n.Groups["version"].Value : "")}"); code.Append('\n'); continue; }
                var r = Ref.Match(line);
                if (r.Success)
                {
                    var full = Path.GetFullPath(Path.Combine(notebookFolder, r.Groups["path"].Value));
                    if (Path.GetFileName(full).Equals("Workbench.dll", StringComparison.OrdinalIgnoreCase))
                        header.Add($"#:project {Rel(Path.Combine(repositoryRoot, "lib", "Workbench", "Workbench.csproj"))}");
                    else if (!full.Contains(Path.Combine("artifacts", "bin", "Workbench"), StringComparison.Ordinal))
                        header.Add($"// #r \"{r.Groups["path"].Value}\": file-based apps cannot reference a dll by path; add a project or package for it.");
                    code.Append('\n');
                    continue;
                }
                code.Append(Directive.IsMatch(line) ? "" : line).Append('\n');
            }
            var tree = CSharpSyntaxTree.ParseText(code.ToString(), CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
            var root = (CompilationUnitSyntax)tree.GetRoot();
            foreach (var u in root.Usings) usings.Add(u.ToString().Trim());
            statements.Append($"// ---- cell {cellNo} ----\n");
            var members = root.Members;
            for (int m = 0; m < members.Count; m++)
            {
                var member = members[m];
                if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax) { types.Append(member.ToFullString().Trim()).Append("\n\n"); continue; }
                var text = member.ToFullString().Trim();
                if (m == members.Count - 1 && member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax es } && es.SemicolonToken.IsMissing)
                    text = $"display({es.Expression.ToFullString().Trim()});";
                statements.Append(text).Append('\n');
            }
            statements.Append('\n');
        }
        var sb = new StringBuilder();
        sb.Append("// Exported from ").Append(nb.Cells.FirstOrDefault(c => c.Type == "markdown")?.Source.Split('\n')[0].TrimStart('#', ' ') ?? "a notebook")
          .Append(" by `workbench export`. Run: dotnet run <this file>\n");
        foreach (var h in header.Distinct()) sb.Append(h).Append('\n');
        sb.Append('\n');
        foreach (var u in new[] { "using System;", "using System.Linq;", "using System.Collections.Generic;", "using System.Threading.Tasks;", "using System.Text;" }) usings.Add(u);
        foreach (var u in usings) sb.Append(u).Append('\n');
        sb.Append('\n').Append(statements);
        sb.Append("// ---- display: what a notebook shows, as text ----\n");
        sb.Append("static Workbench.Notebooks.Export.TextDisplay display(object? value) => Workbench.Notebooks.Export.TextDisplay.Show(value);\n\n");
        sb.Append(types);
        return sb.ToString();
    }

    /// <summary>Markdown: markdown cells as they are, code in C# fences, text outputs in plain fences.</summary>
    public static string ToMarkdown(Notebook nb)
    {
        var sb = new StringBuilder();
        foreach (var cell in nb.Cells)
        {
            if (cell.Type == "markdown") { sb.Append(cell.Source.TrimEnd()).Append("\n\n"); continue; }
            if (cell.Type != "code") continue;
            sb.Append("```csharp\n").Append(cell.Source.TrimEnd()).Append("\n```\n\n");
            foreach (var o in (cell.Json["outputs"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
            {
                var text = o["output_type"]?.GetValue<string>() switch
                {
                    "stream" => Text(o["text"]),
                    "error" => $"{o["ename"]}: {o["evalue"]}",
                    _ => Text(o["data"]?["text/plain"]),
                };
                if (!string.IsNullOrWhiteSpace(text)) sb.Append("```\n").Append(text.TrimEnd()).Append("\n```\n\n");
            }
        }
        return sb.ToString();
    }

    private static string Text(System.Text.Json.Nodes.JsonNode? n) => n switch
    {
        null => "",
        System.Text.Json.Nodes.JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>())),
        _ => n.GetValue<string>(),
    };

    /// <summary>The display used by exported apps: prints a value's text/plain rendering (as notebooks format it); <see cref="Update"/> prints again.</summary>
    public sealed class TextDisplay
    {
        private static readonly Display.FormatterRegistry Formatters = Display.FormatterRegistry.Default();

        /// <summary>Prints <paramref name="value"/> and returns a handle.</summary>
        public static TextDisplay Show(object? value)
        {
            var bundle = Formatters.Format(value);
            Console.WriteLine(bundle.TryGetValue("text/plain", out var t) ? t : value?.ToString());
            return new TextDisplay();
        }

        /// <summary>Prints the new value (a console cannot replace the old one).</summary>
        public void Update(object? value) => Show(value);
    }
}
