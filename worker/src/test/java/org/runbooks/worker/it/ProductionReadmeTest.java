package org.runbooks.worker.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductionReadmeTest {

    @Test
    void everyCommandOfTheProductionSectionIsRunByATest() throws Exception {
        assertThat(ProductionReadme.commands()).hasSize(ProductionReadme.TESTED.size())
                .allSatisfy(command -> assertThat(ProductionReadme.TESTED.keySet())
                        .as("a test that runs `" + command + "`").anyMatch(command::contains));
    }
}
