package dev.chil.node.discovery;

import dev.chil.node.config.HostPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Addresses from DNS, with the JDK's JNDI DNS client: the A and AAAA records of {@code name} (at
 * {@code port}), and the SRV records {@code _consensus._tcp.<name>} (each target's A/AAAA records,
 * at the SRV port). A Kubernetes headless Service answers both. DNS is not trusted for identity:
 * what it returns is only where to ask.
 */
final class DnsAddressSource implements AddressSource {
  static final String SRV_PREFIX = "_consensus._tcp.";

  private final String name;
  private final int port;
  private final Optional<HostPort> server;

  /**
   * @param port the port of addresses from A/AAAA records
   * @param server the DNS server to ask; empty: the system's resolvers
   */
  DnsAddressSource(String name, int port, Optional<HostPort> server) {
    this.name = name;
    this.port = port;
    this.server = server;
  }

  @Override
  public List<HostPort> addresses() throws IOException {
    DirContext context = null;
    try {
      context = new InitialDirContext(environment());
      Lookup lookup = new Lookup(context);
      List<HostPort> addresses = new ArrayList<>();
      for (String ip : lookup.ips(name)) {
        addresses.add(new HostPort(ip, port));
      }
      for (String record : lookup.records(SRV_PREFIX + name, "SRV")) {
        // "priority weight port target."
        String[] fields = record.trim().split("\\s+");
        if (fields.length == 4) {
          int srvPort = Integer.parseInt(fields[2]);
          for (String ip : lookup.ips(fields[3])) {
            addresses.add(new HostPort(ip, srvPort));
          }
        }
      }
      if (addresses.isEmpty()) {
        throw new IOException("DNS has no A, AAAA or SRV (" + SRV_PREFIX + name + ") records for " + name
            + lookup.lastError.map(error -> " (" + error + ")").orElse(""));
      }
      return addresses;
    } catch (NamingException | IllegalArgumentException e) {
      throw new IOException("DNS lookup of " + name + " failed: " + e.getMessage(), e);
    } finally {
      if (context != null) {
        try {
          context.close();
        } catch (NamingException e) {
          // nothing held open
        }
      }
    }
  }

  /**
   * One refresh's queries. A name may have only some record types, and servers answer a missing
   * type differently (no data, not found, refused): any of those is "none of that type".
   */
  private static final class Lookup {
    private final DirContext context;
    private Optional<String> lastError = Optional.empty();

    Lookup(DirContext context) {
      this.context = context;
    }

    List<String> ips(String host) {
      List<String> ips = new ArrayList<>(records(host, "A"));
      ips.addAll(records(host, "AAAA"));
      return ips;
    }

    List<String> records(String host, String type) {
      List<String> values = new ArrayList<>();
      try {
        Attribute attribute = context.getAttributes(host, new String[] {type}).get(type);
        if (attribute != null) {
          NamingEnumeration<?> all = attribute.getAll();
          while (all.hasMore()) {
            values.add(String.valueOf(all.next()));
          }
        }
      } catch (NameNotFoundException e) {
        // no such name
      } catch (NamingException e) {
        lastError = Optional.of(type + " " + host + ": " + e.getMessage());
      }
      return values;
    }
  }

  private Hashtable<String, String> environment() {
    Hashtable<String, String> environment = new Hashtable<>();
    environment.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    environment.put("java.naming.provider.url", server.map(address -> "dns://" + address + "/").orElse("dns:"));
    environment.put("com.sun.jndi.dns.timeout.initial", "1000");
    environment.put("com.sun.jndi.dns.timeout.retries", "2");
    return environment;
  }

  @Override
  public String describe() {
    return "dns " + name + server.map(address -> " via " + address).orElse("");
  }
}
