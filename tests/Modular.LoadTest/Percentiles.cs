/// <summary>The nearest-rank percentile of sorted figures, as every figure the load generator prints is read.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, int percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}
