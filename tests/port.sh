# port_pick: print a TCP port for a test daemon to listen on, outside the
# kernel's ephemeral range (ip_local_port_range), where client sockets
# take their ports and leave them in TIME_WAIT: a port drawn from it
# collides with those after a run of load ("cannot listen").  Ports 10000
# and up on either side of the range, one nothing listens on.  Sourced by
# the integration library and the fault tests; POSIX sh.
port_pick() {
	# Read whole: dash's read takes /proc files a byte at a time, which
	# they do not answer.
	_range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null) ||
	    _range="32768 60999"
	_lo=${_range%%[!0-9]*}
	_hi=${_range##*[!0-9]}
	# Below the range from 10000, then above it to 65535.
	_below=$((_lo > 10000 ? _lo - 10000 : 0))
	_above=$((_hi < 65535 ? 65535 - _hi : 0))
	_tries=0
	while :; do
		_r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
		if [ $((_below + _above)) -eq 0 ]; then
			# The whole range is ephemeral: the caller's retry on
			# "cannot listen" is all there is.
			_port=$((10000 + _r % 55536))
		elif [ $((_r % (_below + _above))) -lt "$_below" ]; then
			_port=$((10000 + _r % (_below + _above)))
		else
			_port=$((_hi + 1 + _r % (_below + _above) - _below))
		fi
		_tries=$((_tries + 1))
		if [ $_tries -ge 20 ] || ! command -v ss >/dev/null ||
		    ! ss -Htan "sport = :$_port" 2>/dev/null | grep -q .; then
			break
		fi
	done
	echo "$_port"
}
