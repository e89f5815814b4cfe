// Every rule in the table has a finite-difference test, so a new rule cannot land without one.
using System.Reflection;
using IJepa.GraphBuilder.Autodiff;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class RuleCoverageTests
{
    [Test]
    public void GradRules_EveryOpType_HasATaggedGradientCheck()
    {
        var tagged = typeof(RuleCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetCustomAttributes<ChecksRulesAttribute>())
            .SelectMany(a => a.OpTypes)
            .ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(GradRules.OpTypes.Except(tagged), Is.Empty, "rules without a gradient check");
            Assert.That(tagged.Except(GradRules.OpTypes), Is.Empty, "tags naming an op type that has no rule");
        });
    }
}
