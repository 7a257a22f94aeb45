namespace Workbench.Tables;

/// <summary>CSV text helpers shared by every writer (RFC 4180 quoting).</summary>
public static class CsvText
{
    /// <summary>A field quoted when it holds a comma, a quote or a line break (LF or CR); quotes doubled.</summary>
    public static string Escape(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
