using BenchmarkDotNet.Attributes;
using Workbench.Notebooks;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goal: runner overhead per notebook (fresh session, execution of a trivial cell, writing
/// the executed .ipynb and the offline HTML page) at most 2 s beyond the cells' own work. Process
/// start of the `workbench` command is not included here; time the command for that.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowConfig))]
public class RunnerBenchmarks
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "wb-runner-bench");

    [GlobalSetup]
    public void Setup() => Directory.CreateDirectory(_dir);

    [Benchmark]
    public int TrivialNotebook()
    {
        var nb = Notebook.Create();
        nb.AddCell("markdown", "# Trivial");
        nb.AddCell("code", "1 + 1");
        var run = Runner.RunAsync(nb, _dir).GetAwaiter().GetResult();
        run.Executed.Save(Path.Combine(_dir, "t.ipynb"));
        File.WriteAllText(Path.Combine(_dir, "t.html"), Runner.ToHtml(run.Executed, "t"));
        return run.CodeCells;
    }
}
