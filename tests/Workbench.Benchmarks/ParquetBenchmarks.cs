using BenchmarkDotNet.Attributes;
using Workbench.Electorate;

namespace Workbench.Benchmarks;

/// <summary>
/// Writing an electorate as Parquet (Tables.ParquetTableWriter through ElectorateExport) to memory, with one and two threads:
/// the encoding cost without the disk. Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Parquet*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowConfig))]
public class ParquetBenchmarks
{
    private Electorate.Electorate _electorate = null!;
    private MemoryStream _buffer = null!;

    /// <summary>Voters of the westminster-like electorate written.</summary>
    [Params(1_000_000)]
    public int Voters { get; set; }

    /// <summary>Threads of the writer (the bytes do not depend on it).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _electorate = Electorates.Generate(Electorates.Preset("westminster-like"), Voters, seed: 1, threads: 2);
        _buffer = new MemoryStream(Voters * 64);
    }

    [Benchmark]
    public long WriteElectorateParquet()
    {
        _buffer.SetLength(0);
        ElectorateExport.WriteParquet(_electorate, _buffer, Threads);
        return _buffer.Length;
    }
}
