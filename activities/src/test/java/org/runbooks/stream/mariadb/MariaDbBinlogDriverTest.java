package org.runbooks.stream.mariadb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MariaDbBinlogDriverTest {

    @Test
    void onlyMySqlsBinaryLogStatusIsTranslated() throws Exception {
        assertThat(MariaDbBinlogDriver.translate(" show binary log status ")).isEqualTo("SHOW BINLOG STATUS");
        assertThat(MariaDbBinlogDriver.translate("SHOW BINARY LOGS")).isEqualTo("SHOW BINARY LOGS");
        assertThat(MariaDbBinlogDriver.translate("select 1")).isEqualTo("select 1");
        MariaDbBinlogDriver driver = new MariaDbBinlogDriver();
        assertThat(driver.acceptsURL(MariaDbBinlogDriver.PROTOCOL + "://127.0.0.1:3306/")).isTrue();
        assertThat(driver.acceptsURL("jdbc:mysql://127.0.0.1:3306/")).isFalse();
        assertThat(driver.acceptsURL("jdbc:mariadb://127.0.0.1:3306/")).isFalse();
    }
}
