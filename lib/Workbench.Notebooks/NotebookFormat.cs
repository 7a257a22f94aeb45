namespace Workbench.Notebooks;

/// <summary>Constants of the notebook format Workbench reads and writes (shared/DESIGN.md, Notebooks).</summary>
public static class NotebookFormat
{
    /// <summary>nbformat major version.</summary>
    public const int Major = 4;
    /// <summary>nbformat minor version.</summary>
    public const int Minor = 5;
    /// <summary>The kernelspec name every chapter declares.</summary>
    public const string KernelName = ".net-csharp";
}
