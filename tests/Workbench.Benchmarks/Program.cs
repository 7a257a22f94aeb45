using BenchmarkDotNet.Running;

namespace Workbench.Benchmarks;

/// <summary>
/// Benchmarks of speed and memory goals (the issues' targets), run with
/// <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*' --inProcess</c>
/// (or a narrower filter such as <c>*Random*</c>). Figures are reported in closing notes and docs.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
