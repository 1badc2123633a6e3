namespace Modular.Testing;

/// <summary>A clock that always reads <paramref name="now"/>: a decision tested with it returns the same effects every run.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
